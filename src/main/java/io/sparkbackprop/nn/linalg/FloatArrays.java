package io.sparkbackprop.nn.linalg;

/** Conversions between the driver's double weights and the float32 copies the kernels compute with. */
public final class FloatArrays {
  private FloatArrays() {}

  public static float[] fromDoubles(double[] values) {
    float[] result = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = (float) values[i];
    }
    return result;
  }
}
