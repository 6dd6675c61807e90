package io.sparkbackprop.nn.optim;

import io.sparkbackprop.nn.Network;
import java.util.Locale;

/**
 * Creates optimizers from the names accepted by the {@code solver} param (case-insensitive). Spark
 * MLP's names {@code gd} and {@code l-bfgs} keep their meaning.
 */
public final class Optimizers {
  /** Mini-batch (or full-batch) gradient descent with a fixed step; Spark MLP's name for it. */
  public static final String GD = "gd";
  /** The same as {@link #GD}: {@link GradientDescent}. */
  public static final String SGD = "sgd";
  /** Heavy-ball momentum: {@link Momentum}. */
  public static final String MOMENTUM = "momentum";
  /** Nesterov momentum (Sutskever et al. 2013): {@link NesterovMomentum}. */
  public static final String NESTEROV = "nesterov";
  /** {@link AdaGrad}. */
  public static final String ADAGRAD = "adagrad";
  /** {@link RmsProp}. */
  public static final String RMSPROP = "rmsprop";
  /** {@link Adam} without weight decay. */
  public static final String ADAM = "adam";
  /** {@link Adam} with decoupled weight decay (AdamW). */
  public static final String ADAMW = "adamw";
  /** Limited-memory BFGS with a Wolfe line search ({@link Lbfgs}); Spark MLP's name for it. */
  public static final String LBFGS = "l-bfgs";

  private static final String[] NAMES =
      {GD, SGD, MOMENTUM, NESTEROV, ADAGRAD, RMSPROP, ADAM, ADAMW, LBFGS};

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

  /** The solver's name in lower case, with aliases resolved ({@code sgd} is {@code gd}). */
  public static String canonicalName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.equals(SGD) ? GD : lower;
  }

  /** A fresh optimizer for a parameter vector of {@code size} entries, with default settings. */
  public static Optimizer create(String name, int size) {
    return create(name, size, OptimizerSettings.defaults());
  }

  /**
   * A fresh optimizer for {@code network}'s parameter vector: as {@link #create(String, int,
   * OptimizerSettings)}, except that the weight decay of {@code adamw} applies only to the entries
   * the network regularizes (its weights, not its biases: {@link Network#isRegularized}), like
   * every other penalty.
   */
  public static Optimizer create(String name, Network network, OptimizerSettings settings) {
    int size = network.paramCount();
    if (!canonicalName(name).equals(ADAMW)) {
      return create(name, size, settings);
    }
    boolean[] decayed = new boolean[size];
    for (int i = 0; i < size; i++) {
      decayed[i] = network.isRegularized(i);
    }
    return new Adam(size, settings.beta1(), settings.beta2(), settings.epsilon(),
        settings.weightDecay(), decayed);
  }

  /**
   * A fresh optimizer for a parameter vector of {@code size} entries. Each optimizer reads only the
   * settings it uses (see {@link OptimizerSettings}). Without a network every entry counts as a
   * weight, so {@code adamw} decays all of them.
   */
  public static Optimizer create(String name, int size, OptimizerSettings settings) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case GD:
      case SGD:
        return new GradientDescent();
      case MOMENTUM:
        return new Momentum(size, settings.momentum());
      case NESTEROV:
        return new NesterovMomentum(size, settings.momentum());
      case ADAGRAD:
        return new AdaGrad(size, settings.epsilon());
      case RMSPROP:
        return new RmsProp(size, settings.rmspropDecay(), settings.epsilon());
      case ADAM:
        return new Adam(size, settings.beta1(), settings.beta2(), settings.epsilon());
      case ADAMW:
        return new Adam(size, settings.beta1(), settings.beta2(), settings.epsilon(),
            settings.weightDecay(), null);
      case LBFGS:
        return new Lbfgs(size, settings.lbfgsHistory());
      default:
        throw new IllegalArgumentException(
            "Unknown solver '" + name + "'; expected one of " + String.join(", ", NAMES));
    }
  }
}
