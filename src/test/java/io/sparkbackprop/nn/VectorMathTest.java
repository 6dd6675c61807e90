package io.sparkbackprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
    float[] x = new float[SPECIES.length()];
    float[] y = new float[SPECIES.length()];
    for (float start = -87f; start < 88f; start += 0.0137f * SPECIES.length()) {
      for (int i = 0; i < x.length; i++) {
        x[i] = start + 0.0137f * i;
      }
      VectorMath.exp(FloatVector.fromArray(SPECIES, x, 0)).intoArray(y, 0);
      for (int i = 0; i < x.length && x[i] <= VectorMath.EXP_OVERFLOW; i++) {
        double exact = Math.exp(x[i]);
        assertTrue(Math.abs(y[i] - exact) <= 3 * Math.ulp((float) exact),
            "exp(" + x[i] + ") = " + y[i] + ", exact " + exact);
      }
    }
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
    float[] x = new float[SPECIES.length()];
    float[] y = new float[SPECIES.length()];
    for (float start = -12f; start < 12f; start += 0.00731f * SPECIES.length()) {
      for (int i = 0; i < x.length; i++) {
        x[i] = start + 0.00731f * i;
      }
      VectorMath.tanh(FloatVector.fromArray(SPECIES, x, 0)).intoArray(y, 0);
      for (int i = 0; i < x.length; i++) {
        double exact = Math.tanh(x[i]);
        assertTrue(Math.abs(y[i] - exact) <= 3 * Math.ulp((float) exact),
            "tanh(" + x[i] + ") = " + y[i] + ", exact " + exact);
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
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("interpreted probe JVM did not finish");
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
