package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.SequenceEncoding;
import io.sparkbackprop.nn.FittedNetwork;
import io.sparkbackprop.nn.SequenceStepper;
import io.sparkbackprop.nn.SequentialNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Continues a prompt with a language model, one sampled token at a time, on the driver. */
final class TextGenerator {
  private final FittedNetwork fitted;
  private final RecurrentSpec spec;

  TextGenerator(FittedNetwork fitted, RecurrentSpec spec) {
    if (spec.encoding().kind() != SequenceEncoding.Kind.TOKENS || !spec.sequenceOutput()
        || spec.outputWidth() != spec.encoding().vocabularySize()) {
      throw new IllegalStateException("Only language models generate text: token sequences "
          + "trained with outputMode 'sequence' on next-token labels");
    }
    this.fitted = fitted;
    this.spec = spec;
  }

  static List<String> characters(String text) {
    List<String> tokens = new ArrayList<>();
    text.codePoints().forEach(c -> tokens.add(new String(Character.toChars(c))));
    return tokens;
  }

  List<String> generate(List<String> prompt, int steps, double temperature, long seed) {
    if (prompt.isEmpty()) {
      throw new IllegalArgumentException("The prompt needs at least one token");
    }
    if (steps < 0 || !(temperature >= 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("Need steps >= 0 and a finite temperature >= 0, got "
          + steps + " and " + temperature);
    }
    SequenceEncoding encoding = spec.encoding();
    SequenceStepper stepper = new SequenceStepper((SequentialNetwork) fitted.network(),
        io.sparkbackprop.nn.linalg.FloatArrays.fromDoubles(fitted.weights()));
    float[] ids = new float[prompt.size()];
    for (int t = 0; t < ids.length; t++) {
      ids[t] = encoding.id(prompt.get(t));
    }
    float[] logits = stepper.feed(ids, ids.length);
    Random random = new Random(seed);
    List<String> generated = new ArrayList<>();
    for (int s = 0; s < steps; s++) {
      int next = sample(logits, temperature, random);
      generated.add(encoding.token(next));
      logits = stepper.feed(new float[] {next}, 1);
    }
    return generated;
  }

  /** A token drawn from softmax(logits / temperature), never the unknown token (id 0). */
  private static int sample(float[] logits, double temperature, Random random) {
    int best = 1;
    for (int i = 2; i < logits.length; i++) {
      if (logits[i] > logits[best]) {
        best = i;
      }
    }
    if (temperature == 0) {
      return best;
    }
    double[] p = new double[logits.length];
    double sum = 0;
    for (int i = 1; i < logits.length; i++) {
      p[i] = Math.exp((logits[i] - logits[best]) / temperature);
      sum += p[i];
    }
    double u = random.nextDouble() * sum;
    for (int i = 1; i < logits.length; i++) {
      u -= p[i];
      if (u <= 0) {
        return i;
      }
    }
    return best;
  }
}
