package io.sparkbackprop.nn.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.sparkbackprop.nn.FeedForwardNetwork;
import io.sparkbackprop.nn.data.DataBlock;
import io.sparkbackprop.nn.layer.Activation;
import io.sparkbackprop.nn.loss.SoftmaxCrossEntropy;
import io.sparkbackprop.testing.EngineFixtures;
import io.sparkbackprop.testing.GradientCheck;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorGemm} against a double-precision triple loop, and the choice {@link Blas} makes.
 *
 * <p>Every call runs on arrays with random offsets and leading dimensions larger than the matrix;
 * the padding must come back untouched. An entry of C passes if it is within {@code 2 (k + 4) u}
 * (u = 2^-24, float32's unit roundoff) of {@code |alpha| sum_p |a_ip b_pj| + |beta c_ij|} from the
 * exact value: the classic error bound of a k-term float sum, with a factor 2 to spare. A lost,
 * doubled or misplaced term errs by about {@code 1/k} of that scale, far above the bound.
 */
class VectorGemmTest {
  private static final Blas.Sgemm VECTOR = Blas.choose("vector");
  private static final int[] SIZES = {1, 2, 3, 7, 13, 17, 31, 33, 64, 65, 100, 127, 128, 129, 784};
  private static final boolean[] BOOLS = {false, true};

  /** One call: sizes, transposes, scalars, and the padding of its arrays. */
  record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta,
      long seed) {
    @Override
    public String toString() {
      return String.format("%s%s m=%d n=%d k=%d alpha=%s beta=%s seed=%d", transA ? "T" : "N",
          transB ? "T" : "N", m, n, k, alpha, beta, seed);
    }
  }

  @Test
  void everySmallShapeAndTransposeMatchesTheReference() {
    int[] small = {1, 2, 3, 7, 13, 17, 31, 33};
    long seed = 0;
    for (boolean transA : BOOLS) {
      for (boolean transB : BOOLS) {
        for (int m : small) {
          for (int n : small) {
            for (int k : small) {
              check(new Case(transA, transB, m, n, k, 1f, 0f, seed++));
            }
          }
        }
      }
    }
  }

  @Test
  void everyListedSizeInEveryPositionMatchesTheReference() {
    Random random = new Random(42);
    long seed = 1000;
    for (int size : SIZES) {
      for (int position = 0; position < 3; position++) {
        for (boolean transA : BOOLS) {
          for (boolean transB : BOOLS) {
            int[] mnk = {pick(random), pick(random), pick(random)};
            mnk[position] = size;
            // Keep the double reference cheap: shrink the other two sizes until the call is small.
            for (int other = (position + 1) % 3; (long) mnk[0] * mnk[1] * mnk[2] > 1_500_000;
                other = other == (position + 1) % 3 ? (position + 2) % 3 : (position + 1) % 3) {
              mnk[other] = Math.max(1, mnk[other] / 3);
            }
            check(new Case(transA, transB, mnk[0], mnk[1], mnk[2], 1f, 0f, seed++));
          }
        }
      }
    }
  }

  @Test
  void theTrainingShapesMatchTheReference() {
    long seed = 2000;
    // A dense layer in -> out over a block of rows: NN out x rows x in, NT out x in x rows,
    // TN in x rows x out; with beta 1 as a caller accumulating gradients would use.
    int[][] layers = {{100, 128}, {128, 64}, {64, 10}, {784, 128}, {128, 10}};
    for (int[] layer : layers) {
      for (int rows : new int[] {128, 129}) {
        int in = layer[0];
        int out = layer[1];
        for (float beta : new float[] {0f, 1f}) {
          check(new Case(false, false, out, rows, in, 1f, beta, seed++));
          check(new Case(false, true, out, in, rows, 1f, beta, seed++));
          check(new Case(true, false, in, rows, out, 1f, beta, seed++));
        }
      }
    }
  }

  @Test
  void sizesAcrossTheBlockingBoundariesMatchTheReference() {
    long seed = 3000;
    for (boolean transA : BOOLS) {
      for (boolean transB : BOOLS) {
        for (int k : new int[] {VectorGemm.KC - 1, VectorGemm.KC, VectorGemm.KC + 1,
            2 * VectorGemm.KC + 3}) {
          check(new Case(transA, transB, 37, 11, k, 1f, 0.5f, seed++));
        }
        for (int m : new int[] {VectorGemm.MC - 1, VectorGemm.MC + 1, 2 * VectorGemm.MC + 5}) {
          check(new Case(transA, transB, m, 9, 5, 1f, 0f, seed++));
        }
        check(new Case(transA, transB, 3, 1030, 4, 1f, 0f, seed++));
        check(new Case(transA, transB, VectorGemm.MR, VectorGemm.NR, 1, 1f, 0f, seed++));
        check(new Case(transA, transB, VectorGemm.VL, VectorGemm.NR - 1, 2, 1f, 0f, seed++));
        check(new Case(transA, transB, VectorGemm.VL + 1, VectorGemm.NR + 1, 3, 1f, 0f, seed++));
        // Whole one- and two-vector tiles written straight to C, with B read in place or packed.
        check(new Case(transA, transB, VectorGemm.VL, 2 * VectorGemm.NR, 5, 1f, 0f, seed++));
        check(new Case(transA, transB, VectorGemm.MR + VectorGemm.VL, VectorGemm.NR, 3, 1f, 0f,
            seed++));
        check(new Case(transA, transB, 2 * VectorGemm.MR, 3 * VectorGemm.NR + 1, 9, 1f, 0f,
            seed++));
        check(new Case(transA, transB, 2 * VectorGemm.MR + 1, 3 * VectorGemm.NR + 1, 9, 1f, 0f,
            seed++));
        check(new Case(transA, transB, 3 * VectorGemm.MR + VectorGemm.VL, 2 * VectorGemm.NR, 9,
            1f, 0f, seed++));
      }
    }
  }

  @Test
  void everyAlphaAndBetaIsApplied() {
    float[][] scalars = {{1, 0}, {1, 1}, {0.5f, -2}, {-1, 0.25f}, {2, 0}, {0, 0}, {0, 1}, {0, -3}};
    long seed = 4000;
    for (boolean transA : BOOLS) {
      for (boolean transB : BOOLS) {
        for (float[] ab : scalars) {
          for (int[] mnk : new int[][] {{1, 1, 1}, {33, 17, 65}, {129, 13, 300}, {5, 7, 0}}) {
            check(new Case(transA, transB, mnk[0], mnk[1], mnk[2], ab[0], ab[1], seed++));
          }
        }
      }
    }
  }

  @Test
  void invalidArgumentsFailBeforeWritingAnything() {
    float[] a = new float[12];
    float[] b = new float[12];
    float[] c = new float[12];
    Arrays.fill(c, 7f);
    assertThrows(IllegalArgumentException.class,
        () -> VECTOR.gemm(false, false, 4, 3, 3, 1f, a, 0, 3, b, 0, 3, 0f, c, 0, 4));
    assertThrows(IllegalArgumentException.class,
        () -> VECTOR.gemm(false, false, 4, 3, 3, 1f, a, 0, 4, b, 0, 3, 0f, c, 0, 3));
    assertThrows(IllegalArgumentException.class,
        () -> VECTOR.gemm(false, true, 4, 3, 3, 1f, a, 0, 4, b, 0, 2, 0f, c, 0, 4));
    assertThrows(IndexOutOfBoundsException.class,
        () -> VECTOR.gemm(false, false, 4, 3, 3, 1f, a, 1, 4, b, 0, 3, 0f, c, 0, 4));
    assertThrows(IndexOutOfBoundsException.class,
        () -> VECTOR.gemm(true, false, 4, 3, 3, 1f, a, 0, 3, b, 0, 3, 0f, c, 1, 4));
    float[] seven = new float[12];
    Arrays.fill(seven, 7f);
    assertTrue(Arrays.equals(seven, c), "C was written by a rejected call");
  }

  @Test
  void blasChoosesByTheProperty() {
    assertTrue(VECTOR.name().startsWith("VectorGemm (jdk.incubator.vector, "), VECTOR.name());
    assertFalse(Blas.choose("netlib").name().startsWith("VectorGemm"));
    assertFalse(Blas.choose(" NetLib ").name().startsWith("VectorGemm"));
    assertThrows(IllegalArgumentException.class, () -> Blas.choose("openblas"));
    String auto = Blas.choose("auto").name();
    // The tests run with the vector module: auto is VectorGemm unless netlib found a native BLAS
    // or the JVM cannot compile vector code here.
    if (!auto.equals("JNIBLAS")) {
      assertEquals(Blas.vectorApiCompiles(), auto.startsWith("VectorGemm"), auto);
    }
    if (System.getProperty(Blas.PROPERTY) == null) {
      assertEquals(auto, Blas.implementationName());
    }
  }

  @Test
  void theNetworkGradientIsTheSameWithEitherImplementation() {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {100, 128, 64, 10}, Activation.TANH,
        new SoftmaxCrossEntropy());
    DataBlock block = EngineFixtures.classificationBlock(5, 150, 100, 10);
    float[] params = EngineFixtures.params(net, 5);
    float[] viaNetlib = new float[net.paramCount()];
    float[] viaVector = new float[net.paramCount()];
    double lossNetlib;
    double lossVector;
    Blas.Sgemm previous = Blas.use("netlib");
    try {
      lossNetlib = net.lossAndGradient(params, block, viaNetlib, net.newWorkspace(150));
      Blas.use("vector");
      lossVector = net.lossAndGradient(params, block, viaVector, net.newWorkspace(150));
    } finally {
      Blas.use(previous);
    }
    assertEquals(lossNetlib, lossVector, 1e-5 * Math.abs(lossNetlib));
    float largest = 0;
    for (float g : viaNetlib) {
      largest = Math.max(largest, Math.abs(g));
    }
    for (int i = 0; i < viaNetlib.length; i++) {
      // float32 sums of up to 150 terms in different orders; 1e-4 of the largest entry is generous.
      assertEquals(viaNetlib[i], viaVector[i], 1e-4f * largest + 1e-5f * Math.abs(viaNetlib[i]),
          "gradient entry " + i);
    }
  }

  @Test
  void backpropagationThroughVectorGemmPassesTheGradientCheck() {
    FeedForwardNetwork net = new FeedForwardNetwork(new int[] {19, 17, 33, 3}, Activation.TANH,
        new SoftmaxCrossEntropy());
    DataBlock block = EngineFixtures.classificationBlock(9, 21, 19, 3);
    Blas.Sgemm previous = Blas.use("vector");
    try {
      GradientCheck.Result result = GradientCheck.create().sampling(300, 3)
          .checkParams(net, EngineFixtures.params(net, 9), block);
      assertTrue(result.passes(), result::toString);
    } finally {
      Blas.use(previous);
    }
  }

  /**
   * A JVM started without {@code --add-modules jdk.incubator.vector} must never load VectorGemm (it
   * would fail to link), and asking for it there must fail with a clear message. Its automatic
   * choice is a slow path (plain-Java BLAS, or native BLAS not pinned to one thread: the probe runs
   * without the thread variables), which must be logged as a warning that says how to fix it.
   * Failed before the fix: nothing was logged by the JVM itself (only the driver's INFO line at fit
   * time).
   */
  @Test
  void withoutTheVectorModuleVectorGemmIsNeverLoaded() throws Exception {
    String auto = runProbe();
    assertTrue(auto.contains("implementation="), auto);
    assertFalse(auto.contains("io.sparkbackprop.nn.linalg.VectorGemm"), auto);
    assertTrue(auto.contains("c=[7.0, 15.0, 10.0, 22.0]"), auto);
    assertTrue(auto.matches("(?s).*WARNING: BLAS: [^\\n]*slow[^\\n]*--add-modules=jdk.incubator.vector.*"),
        auto);
    String forced = runProbe("-D" + Blas.PROPERTY + "=vector");
    assertTrue(forced.contains("--add-modules jdk.incubator.vector"), forced);
    assertFalse(forced.contains("io.sparkbackprop.nn.linalg.VectorGemm"), forced);
  }

  private static String runProbe(String... options) throws IOException, InterruptedException {
    String classPath = String.join(java.io.File.pathSeparator, codeSource(Blas.class),
        codeSource(dev.ludovic.netlib.blas.BLAS.class), codeSource(BlasProbe.class));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-verbose:class"));
    command.addAll(List.of(options));
    command.addAll(List.of("-cp", classPath, BlasProbe.class.getName()));
    // The output goes to a file, not a pipe read before waitFor: a hung probe must fail the test
    // after the timeout, not hang the build.
    Path output = Files.createTempFile("blas-probe", ".out");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(output.toFile());
      builder.environment().keySet().removeAll(
          List.of("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS"));
      Process process = builder.start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("probe JVM did not finish in 60 s: " + Files.readString(output));
      }
      return Files.readString(output, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int pick(Random random) {
    return SIZES[random.nextInt(SIZES.length)];
  }

  /** Runs one case through {@link VectorGemm} and compares it with {@link #reference}. */
  private static void check(Case t) {
    Random random = new Random(t.seed());
    int aRows = t.transA() ? t.k() : t.m();
    int aCols = t.transA() ? t.m() : t.k();
    int bRows = t.transB() ? t.n() : t.k();
    int bCols = t.transB() ? t.k() : t.n();
    int lda = Math.max(1, aRows) + random.nextInt(3);
    int ldb = Math.max(1, bRows) + random.nextInt(3);
    int ldc = Math.max(1, t.m()) + random.nextInt(3);
    int aOffset = random.nextInt(4);
    int bOffset = random.nextInt(4);
    int cOffset = random.nextInt(4);
    float[] a = gaussian(random, aOffset + lda * aCols + random.nextInt(3));
    float[] b = gaussian(random, bOffset + ldb * bCols + random.nextInt(3));
    float[] c = gaussian(random, cOffset + ldc * t.n() + random.nextInt(3));
    if (t.beta() == 0f) {
      // BLAS does not read C when beta is 0: NaNs there must not leak into the result.
      for (int j = 0; j < t.n(); j++) {
        Arrays.fill(c, cOffset + j * ldc, cOffset + j * ldc + t.m(), Float.NaN);
      }
    }
    float[] before = c.clone();
    VECTOR.gemm(t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a, aOffset, lda,
        b, bOffset, ldb, t.beta(), c, cOffset, ldc);
    double unit = Math.scalb(1.0, -24);
    for (int idx = 0; idx < c.length; idx++) {
      int j = Math.floorDiv(idx - cOffset, ldc);
      int i = idx - cOffset - j * ldc;
      boolean inside = idx >= cOffset && j < t.n() && i < t.m();
      if (!inside) {
        if (Float.floatToIntBits(before[idx]) != Float.floatToIntBits(c[idx])) {
          fail(t + ": wrote outside C at index " + idx);
        }
        continue;
      }
      double[] exact = reference(t, a, aOffset, lda, b, bOffset, ldb, before[idx], i, j);
      double bound = 2 * (t.k() + 4) * unit * exact[1] + Float.MIN_NORMAL;
      if (!(Math.abs(c[idx] - exact[0]) <= bound)) {
        fail(String.format("%s (lda=%d ldb=%d ldc=%d, offsets %d %d %d): C(%d,%d) = %s, expected %s"
                + " within %.3g", t, lda, ldb, ldc, aOffset, bOffset, cOffset, i, j, c[idx],
            exact[0], bound));
      }
    }
  }

  /**
   * Entry (i, j) of {@code alpha op(A) op(B) + beta C} in double, and the scale of its rounding error
   * {@code |alpha| sum |a_ip b_pj| + |beta c_ij|}.
   */
  private static double[] reference(Case t, float[] a, int aOffset, int lda, float[] b,
      int bOffset, int ldb, float cBefore, int i, int j) {
    double sum = 0;
    double magnitude = 0;
    for (int p = 0; p < t.k(); p++) {
      double x = t.transA() ? a[aOffset + i * lda + p] : a[aOffset + p * lda + i];
      double y = t.transB() ? b[bOffset + p * ldb + j] : b[bOffset + j * ldb + p];
      sum += x * y;
      magnitude += Math.abs(x * y);
    }
    double old = t.beta() == 0f ? 0 : t.beta() * (double) cBefore;
    return new double[] {t.alpha() * sum + old,
        Math.abs(t.alpha()) * magnitude + Math.abs(old)};
  }

  private static float[] gaussian(Random random, int length) {
    float[] values = new float[length];
    for (int i = 0; i < length; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
