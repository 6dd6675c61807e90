package io.sparkbackprop.nn;

import java.util.Locale;

/** Creates optimizers from the names accepted by the {@code solver} param. */
public final class Optimizers {
  /** Mini-batch (or full-batch) gradient descent with a fixed step; Spark MLP's name for it. */
  public static final String GD = "gd";
  /** Adam with the paper's default betas. */
  public static final String ADAM = "adam";

  private static final String[] NAMES = {GD, ADAM};

  private Optimizers() {}

  /** Solver names accepted by {@link #create}. */
  public static String[] names() {
    return NAMES.clone();
  }

  public static boolean isSupported(String name) {
    for (String n : NAMES) {
      if (n.equals(name.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  /** A fresh optimizer for a parameter vector of {@code size} entries. */
  public static Optimizer create(String name, int size) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case GD:
        return new GradientDescent();
      case ADAM:
        return new Adam(size);
      default:
        throw new IllegalArgumentException(
            "Unknown solver '" + name + "'; expected one of " + String.join(", ", NAMES));
    }
  }
}
