package io.sparkbackprop.bench.suite;

import io.sparkbackprop.ml.BackpropClassifier;
import io.sparkbackprop.ml.BackpropRegressor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.FloatParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.Params;

/**
 * A named set of {@code name=value} overrides of our estimators' params, plus emulated settings
 * (prefix {@code emu.}) that today's params cannot express with one fixed value because they depend on
 * the data; the harness turns them into real params per training split:
 *
 * <ul>
 *   <li>{@code emu.batchRows=B}: mini-batches of about B rows, i.e. {@code miniBatchFraction} =
 *       min(1, B / training rows). Sampling stays whole blocks of {@code blockSize}, so choose a
 *       {@code blockSize} well below B.
 *   <li>{@code emu.localEpochs=L}: {@code localSteps} = L x the blocks of one partition, i.e. each
 *       job does L local passes over its partition.
 *   <li>{@code emu.minLocalSteps=M}: at least M local steps per job (small sets then do several
 *       local passes per job).
 *   <li>{@code emu.l2PerStep=λ}: L2 of strength λ per local step. With {@code localSteps} K > 1 the
 *       engine adds the penalty's gradient once per round to the averaged pseudo-gradient (a sum of
 *       K steps' gradients), so {@code regParam} λ acts K times weaker than in per-step training;
 *       this sets {@code regParam} = K λ (just λ without local steps).
 *   <li>{@code emu.epochs=E}: {@code maxIter} = E passes over the training rows (from the mini-batch
 *       fraction, or local steps x block size x partitions per iteration).
 *   <li>{@code emu.patienceEpochs=P}: validation once per epoch ({@code validationInterval}) and
 *       {@code earlyStoppingPatience} P; {@code validationFraction} 0.1 unless given.
 *   <li>{@code emu.stopTol=T}, {@code emu.stopPatience=P}: scikit-learn's stopping rule on the
 *       training loss (stop when the epoch's mean loss has not improved on the best by T for more
 *       than P epochs; when one iteration covers more than an epoch, iterations take the place of
 *       epochs), emulated exactly: a first fit is followed by a training listener that aborts
 *       it where the rule fires; the reported model and time are a refit with {@code maxIter} there
 *       (same seed and schedule, so the same trajectory; not valid with schedules that depend on
 *       {@code maxIter}, such as {@code cosine}).
 * </ul>
 *
 * Written on the command line as {@code name:key=value,key=value}; array values use {@code /}
 * ({@code dropout=0.1/0.2}).
 */
record Regime(String name, Map<String, String> params) {

  static final String EMU = "emu.";
  private static final List<String> EMULATED = List.of("emu.batchRows", "emu.localEpochs",
      "emu.minLocalSteps", "emu.l2PerStep",
      "emu.epochs", "emu.patienceEpochs", "emu.stopTol", "emu.stopPatience");

  /** Today's defaults: no override. */
  static Regime defaults() {
    return new Regime("defaults", new LinkedHashMap<>());
  }

  /**
   * Parses {@code name:k=v,k=v} (or {@code name: k=v k=v}); a spec without {@code :} whose first
   * token has no {@code =} is a name alone (today's defaults under that name).
   */
  static Regime parse(String spec) {
    String s = spec.trim();
    int colon = s.indexOf(':');
    String name;
    String rest;
    if (colon >= 0 && !s.substring(0, colon).contains("=")) {
      name = s.substring(0, colon).trim();
      rest = s.substring(colon + 1);
    } else {
      name = null;
      rest = s;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (String pair : rest.split("[,\\s]+")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        if (name == null && params.isEmpty()) {
          name = pair;
          continue;
        }
        throw new IllegalArgumentException("Expected name=value in regime '" + spec + "', got '"
            + pair + "'");
      }
      params.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    if (name == null || name.isEmpty()) {
      name = params.isEmpty() ? "defaults" : describe(params);
    }
    Regime regime = new Regime(name, params);
    regime.check();
    return regime;
  }

  static String describe(Map<String, String> params) {
    List<String> parts = new ArrayList<>();
    params.forEach((k, v) -> parts.add(k + "=" + v));
    return String.join(",", parts);
  }

  String describe() {
    return params.isEmpty() ? "(today's defaults)" : describe(params);
  }

  /** Fails naming the key if it is neither a param of ours nor an emulated setting. */
  private void check() {
    BackpropClassifier classifier = new BackpropClassifier();
    BackpropRegressor regressor = new BackpropRegressor();
    for (Map.Entry<String, String> e : params.entrySet()) {
      String key = e.getKey();
      if (key.startsWith(EMU)) {
        if (!EMULATED.contains(key)) {
          throw new IllegalArgumentException("Unknown emulated setting '" + key + "'; known: "
              + String.join(", ", EMULATED));
        }
        Double.parseDouble(e.getValue());
        continue;
      }
      if (!classifier.hasParam(key) && !regressor.hasParam(key)) {
        throw new IllegalArgumentException("'" + key + "' is not a param of BackpropClassifier or "
            + "BackpropRegressor (regime " + name + ")");
      }
      Params owner = classifier.hasParam(key) ? classifier : regressor;
      value(owner.getParam(key), e.getValue());
    }
  }

  /** The training split an estimator is about to see. */
  record Split(long trainRows, int partitions) {}

  /**
   * What this regime means on one split: the real params to fit with, the emulated stopping rule
   * (NaN tolerance when off) and a short description of the values derived from the data.
   */
  record Resolved(ParamMap params, double itersPerEpoch, double stopTol, int stopPatience,
      String derived) {
    boolean stopsByRule() {
      return !Double.isNaN(stopTol);
    }
  }

  Resolved resolve(Params estimator, Split split) {
    ParamMap map = new ParamMap();
    List<String> skipped = new ArrayList<>();
    for (Map.Entry<String, String> e : params.entrySet()) {
      if (e.getKey().startsWith(EMU)) {
        continue;
      }
      if (!estimator.hasParam(e.getKey())) {
        skipped.add(e.getKey());
        continue;
      }
      put(map, estimator.getParam(e.getKey()), e.getValue());
    }
    double validationFraction = number(estimator, map, "validationFraction");
    if (params.containsKey("emu.patienceEpochs") && !params.containsKey("validationFraction")) {
      validationFraction = 0.1;
      put(map, estimator.getParam("validationFraction"), "0.1");
    }
    double rows = split.trainRows() * (1 - validationFraction);
    int blockSize = (int) number(estimator, map, "blockSize");
    List<String> derived = new ArrayList<>();
    if (params.containsKey("emu.batchRows")) {
      double fraction = Math.min(1.0, emu("emu.batchRows") / rows);
      put(map, estimator.getParam("miniBatchFraction"), Double.toString(fraction));
      derived.add(String.format(Locale.ROOT, "miniBatchFraction=%.4g", fraction));
    }
    int partitions = Math.max(1, split.partitions());
    int blocksPerPartition = (int) Math.ceil(rows / partitions / blockSize);
    if (params.containsKey("emu.localEpochs") || params.containsKey("emu.minLocalSteps")) {
      double epochs = params.containsKey("emu.localEpochs") ? emu("emu.localEpochs") : 0;
      double least = params.containsKey("emu.minLocalSteps") ? emu("emu.minLocalSteps") : 1;
      int steps = (int) Math.max(least, Math.round(epochs * blocksPerPartition));
      put(map, estimator.getParam("localSteps"), Integer.toString(steps));
      derived.add("localSteps=" + steps);
    }
    int localSteps = (int) number(estimator, map, "localSteps");
    if (params.containsKey("emu.l2PerStep")) {
      double regParam = emu("emu.l2PerStep") * localSteps;
      put(map, estimator.getParam("regParam"), Double.toString(regParam));
      derived.add(String.format(Locale.ROOT, "regParam=%.3g", regParam));
    }
    double fraction = number(estimator, map, "miniBatchFraction");
    double rowsPerIteration = localSteps > 1
        ? (double) localSteps * blockSize * Math.min(partitions, Math.ceil(rows / blockSize))
        : fraction * rows;
    double itersPerEpoch = rows / Math.max(1, rowsPerIteration);
    if (params.containsKey("emu.epochs")) {
      int maxIter = (int) Math.max(1, Math.ceil(emu("emu.epochs") * itersPerEpoch));
      put(map, estimator.getParam("maxIter"), Integer.toString(maxIter));
      derived.add("maxIter=" + maxIter);
    }
    if (params.containsKey("emu.patienceEpochs")) {
      int interval = (int) Math.max(1, Math.round(itersPerEpoch));
      put(map, estimator.getParam("validationInterval"), Integer.toString(interval));
      put(map, estimator.getParam("earlyStoppingPatience"),
          Integer.toString((int) emu("emu.patienceEpochs")));
      derived.add("validationInterval=" + interval);
    }
    double stopTol = params.containsKey("emu.stopTol") ? emu("emu.stopTol") : Double.NaN;
    int stopPatience = params.containsKey("emu.stopPatience") ? (int) emu("emu.stopPatience") : 10;
    if (!skipped.isEmpty()) {
      derived.add("not on this estimator: " + String.join(" ", skipped));
    }
    return new Resolved(map, itersPerEpoch, stopTol, stopPatience, String.join(" ", derived));
  }

  private double emu(String key) {
    return Double.parseDouble(params.get(key));
  }

  /** A numeric param's value: from the map if set there, else the estimator's own value. */
  private static double number(Params estimator, ParamMap map, String name) {
    Param<Object> p = estimator.getParam(name);
    Object v = map.contains(p) ? map.apply(p) : estimator.getOrDefault(p);
    return ((Number) v).doubleValue();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static void put(ParamMap map, Param<?> param, String text) {
    map.put((Param) param, value(param, text));
  }

  /** Parses a value for the param's type; arrays are separated by {@code /}. */
  static Object value(Param<?> p, String v) {
    try {
      if (p instanceof IntParam) {
        return Integer.parseInt(v);
      }
      if (p instanceof LongParam) {
        return Long.parseLong(v);
      }
      if (p instanceof DoubleParam) {
        return Double.parseDouble(v);
      }
      if (p instanceof FloatParam) {
        return Float.parseFloat(v);
      }
      if (p instanceof BooleanParam) {
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
          throw new NumberFormatException("not a boolean");
        }
        return Boolean.parseBoolean(v);
      }
      if (p instanceof IntArrayParam) {
        return v.isEmpty() ? new int[0]
            : java.util.Arrays.stream(v.split("/")).mapToInt(Integer::parseInt).toArray();
      }
      if (p instanceof DoubleArrayParam) {
        return v.isEmpty() ? new double[0]
            : java.util.Arrays.stream(v.split("/")).mapToDouble(Double::parseDouble).toArray();
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Bad value '" + v + "' for param " + p.name(), e);
    }
    return v;
  }
}
