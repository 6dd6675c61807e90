package io.sparkbackprop.nn.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath}: accurate to a few float ulps, and bit-for-bit the same whether the JIT
 * compiler has compiled it or not (the reason it exists).
 */
class VectorMathTest {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  @Test
  void expIsWithinThreeUlpsFromUnderflowToOverflow() {
    assertWithinThreeUlps("exp", VectorMath::exp, Math::exp, -87f, VectorMath.EXP_OVERFLOW, 0.0137f);
  }

  @Test
  void expSaturatesAndKeepsNaN() {
    float[] x = new float[SPECIES.length()];
    float[] y = new float[SPECIES.length()];
    float[] special = {89f, 1000f, Float.POSITIVE_INFINITY, -88f, -1000f,
        Float.NEGATIVE_INFINITY, Float.NaN, 0f};
    float[] expected = {Float.POSITIVE_INFINITY, Float.POSITIVE_INFINITY,
        Float.POSITIVE_INFINITY, 0f, 0f, 0f, Float.NaN, 1f};
    for (int s = 0; s < special.length; s++) {
      java.util.Arrays.fill(x, special[s]);
      VectorMath.exp(FloatVector.fromArray(SPECIES, x, 0)).intoArray(y, 0);
      assertEquals(expected[s], y[0], "exp(" + special[s] + ")");
    }
  }

  @Test
  void tanhIsWithinThreeUlpsAroundTheSeriesLimitAndBeyond() {
    assertWithinThreeUlps("tanh", VectorMath::tanh, Math::tanh, -12f, 12f, 0.00731f);
  }

  /** f against exact on from, from + step, ... up to to, a vector at a time. */
  private static void assertWithinThreeUlps(String name, UnaryOperator<FloatVector> f,
      DoubleUnaryOperator exact, float from, float to, float step) {
    float[] x = new float[SPECIES.length()];
    float[] y = new float[SPECIES.length()];
    for (float start = from; start < to; start += step * SPECIES.length()) {
      for (int i = 0; i < x.length; i++) {
        x[i] = start + step * i;
      }
      f.apply(FloatVector.fromArray(SPECIES, x, 0)).intoArray(y, 0);
      for (int i = 0; i < x.length && x[i] <= to; i++) {
        double expected = exact.applyAsDouble(x[i]);
        assertTrue(Math.abs(y[i] - expected) <= 3 * Math.ulp((float) expected),
            name + "(" + x[i] + ") = " + y[i] + ", exact " + expected);
      }
    }
  }

  @Test
  void resultsAreTheSameInterpretedAndCompiled() throws IOException, InterruptedException {
    int compiled = 0;
    for (int i = 0; i < 3000; i++) {
      compiled = VectorMathProbe.digest();
    }
    String classPath = String.join(java.io.File.pathSeparator, codeSource(VectorMath.class),
        codeSource(VectorMathProbe.class));
    List<String> command = List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xint",
        "--add-modules", "jdk.incubator.vector", "-cp", classPath,
        VectorMathProbe.class.getName());
    // The output goes to a file, not a pipe read before waitFor: a hung probe must fail the test
    // after the timeout, not hang the build.
    Path log = Files.createTempFile("vector-math-probe", ".out");
    String output;
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("interpreted probe JVM did not finish in 120 s: " + Files.readString(log));
      }
      output = Files.readString(log, StandardCharsets.UTF_8);
    } finally {
      Files.deleteIfExists(log);
    }
    assertTrue(output.contains("digest=" + compiled),
        "compiled digest " + compiled + ", interpreted JVM printed: " + output);
  }

  private static String codeSource(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
