package io.sparkbackprop.nn.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The automatic BLAS choice never picks a path slower than our own Vector API kernel: native BLAS
 * only when pinned to one thread per task, and a slow choice says so with the fix. Before the fix
 * auto took native BLAS whenever netlib found it, whatever its thread count (an unpinned OpenBLAS
 * measured 28x slower than pinned inside Spark tasks), and no choice was ever flagged as slow.
 */
class BlasChoiceTest {
  private static final Map<String, String> UNSET = Map.of();

  private static Blas.Auto auto(boolean nativeBlas, Map<String, String> env, boolean vector) {
    return Blas.decideAuto(nativeBlas, env, vector, vector);
  }

  @Test
  void nativeBlasOnlyWhenPinnedToOneThread() {
    for (String variable : Blas.THREAD_VARIABLES) {
      Blas.Auto pinned = auto(true, Map.of(variable, "1"), true);
      assertFalse(pinned.vectorGemm(), variable);
      assertFalse(pinned.slow(), variable);
      assertTrue(pinned.reason().contains(variable + "=1"), pinned.reason());
    }
    Blas.Auto unpinned = auto(true, UNSET, true);
    assertTrue(unpinned.vectorGemm());
    assertFalse(unpinned.slow());
    assertTrue(unpinned.reason().contains("not pinned")
        && unpinned.reason().contains("OPENBLAS_NUM_THREADS=1"), unpinned.reason());
    assertTrue(auto(true, Map.of("OPENBLAS_NUM_THREADS", "4"), true).vectorGemm());
  }

  @Test
  void openBlasPrecedenceDecidesWhichVariableCounts() {
    // OpenBLAS reads OPENBLAS_NUM_THREADS first, then GOTO_NUM_THREADS, then OMP_NUM_THREADS.
    assertTrue(auto(true, Map.of("OPENBLAS_NUM_THREADS", "4", "OMP_NUM_THREADS", "1"), true)
        .vectorGemm());
    assertFalse(auto(true, Map.of("OPENBLAS_NUM_THREADS", "1", "OMP_NUM_THREADS", "8"), true)
        .vectorGemm());
    assertTrue(auto(true, Map.of("GOTO_NUM_THREADS", "2", "OMP_NUM_THREADS", "1"), true)
        .vectorGemm());
    // Zero and non-numbers are ignored, as OpenBLAS ignores them.
    assertFalse(auto(true, Map.of("OPENBLAS_NUM_THREADS", "0", "OMP_NUM_THREADS", "1"), true)
        .vectorGemm());
    assertFalse(auto(true, Map.of("OPENBLAS_NUM_THREADS", "many", "GOTO_NUM_THREADS", " 1 "), true)
        .vectorGemm());
    assertFalse(Blas.pinnedToOneThread(UNSET));
  }

  @Test
  void withoutNativeBlasTheVectorKernelIsUsed() {
    Blas.Auto auto = auto(false, UNSET, true);
    assertTrue(auto.vectorGemm());
    assertFalse(auto.slow());
  }

  @Test
  void slowPathsAreFlaggedWithTheFix() {
    Blas.Auto plainJava = auto(false, UNSET, false);
    assertFalse(plainJava.vectorGemm());
    assertTrue(plainJava.slow());
    assertTrue(plainJava.reason().contains("--add-modules=jdk.incubator.vector"),
        plainJava.reason());
    // Native but unpinned, and no vector kernel: still the better of two slow paths, with both fixes.
    Blas.Auto unpinned = auto(true, UNSET, false);
    assertFalse(unpinned.vectorGemm());
    assertTrue(unpinned.slow());
    assertTrue(unpinned.reason().contains("OPENBLAS_NUM_THREADS=1")
        && unpinned.reason().contains("--add-modules=jdk.incubator.vector"), unpinned.reason());
    // The module is there but the JVM cannot compile vector code (no FMA or no C2).
    Blas.Auto noFma = Blas.decideAuto(false, UNSET, true, false);
    assertTrue(noFma.slow());
    assertTrue(noFma.reason().contains("does not compile Vector API code"), noFma.reason());
  }

  @Test
  void thisJvmReportsItsChoice() {
    // The test JVM runs with the vector module and no native BLAS is required: not a slow path.
    assertTrue(Blas.description().startsWith(Blas.implementationName())
        || System.getProperty(Blas.PROPERTY) != null, Blas.description());
    assertEquals(!Blas.vectorApiCompiles(), Blas.isSlow(), Blas.description());
  }
}
