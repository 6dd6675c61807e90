package io.sparkbackprop.ml;

import io.sparkbackprop.distributed.SequenceEncoding;
import io.sparkbackprop.nn.RecurrentNetwork;
import io.sparkbackprop.nn.layer.InputScaling;
import java.util.Objects;

/**
 * Everything needed to rebuild a fitted recurrent network apart from its weights: the architecture
 * (stored without dropout, which only training uses), how the features column is read (and the
 * vocabulary of token models), the loss and the scalings.
 */
public record RecurrentSpec(RecurrentNetwork.Architecture architecture, SequenceEncoding encoding,
    String loss, double huberDelta, double targetCenter, double targetScale,
    InputScaling inputScaling) implements ModelSpec {

  public RecurrentSpec {
    architecture = architecture.withoutDropout();
    if (inputScaling != null && inputScaling.width() != architecture.inputWidth()) {
      throw new IllegalArgumentException("Input scaling covers " + inputScaling.width()
          + " features but steps have " + architecture.inputWidth());
    }
  }

  @Override
  public int numFeatures() {
    return encoding.width();
  }

  @Override
  public int outputWidth() {
    return architecture.outputWidth();
  }

  /** Whether the network gives one output per step (outputMode {@code sequence}). */
  public boolean sequenceOutput() {
    return architecture.sequenceOutput();
  }

  @Override
  public RecurrentNetwork toNetwork() {
    return new RecurrentNetwork(architecture, toLoss(null), inputScaling);
  }

  /** The dropout param holds one rate, applied between stacked recurrent layers. */
  @Override
  public RecurrentNetwork toTrainingNetwork(double[] dropout, double[] classWeights) {
    double rate = 0;
    if (dropout != null && dropout.length > 0) {
      if (dropout.length > 1) {
        throw new IllegalArgumentException("dropout for recurrent networks is one rate, applied "
            + "between stacked recurrent layers; got " + dropout.length + " values");
      }
      rate = dropout[0];
    }
    RecurrentNetwork.Architecture a = architecture;
    RecurrentNetwork.Architecture training = new RecurrentNetwork.Architecture(a.inputWidth(),
        a.tokens(), a.embeddingSize(), a.cell(), a.hiddenSize(), a.numLayers(), a.bidirectional(),
        rate, a.bpttSteps(), a.sequenceOutput(), a.outputWidth(), a.maxSteps());
    return new RecurrentNetwork(training, toLoss(classWeights), inputScaling);
  }

  @Override
  public RecurrentSpec withTargetsShiftedBy(double offset) {
    return offset == 0 ? this : new RecurrentSpec(architecture, encoding, loss, huberDelta,
        targetCenter - offset, targetScale, inputScaling);
  }

  /** The same spec for sequences of up to {@code maxSteps} steps (workspace sizing only). */
  public RecurrentSpec withMaxSteps(int maxSteps) {
    RecurrentNetwork.Architecture a = architecture;
    return new RecurrentSpec(new RecurrentNetwork.Architecture(a.inputWidth(), a.tokens(),
        a.embeddingSize(), a.cell(), a.hiddenSize(), a.numLayers(), a.bidirectional(), 0,
        a.bpttSteps(), a.sequenceOutput(), a.outputWidth(), maxSteps), encoding, loss, huberDelta,
        targetCenter, targetScale, inputScaling);
  }

  @Override
  public String[] describeLayers() {
    return ModelSpec.describe(toNetwork());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RecurrentSpec s && architecture.equals(s.architecture)
        && encoding.kind() == s.encoding.kind() && encoding.width() == s.encoding.width()
        && java.util.Arrays.equals(encoding.vocabulary(), s.encoding.vocabulary())
        && loss.equals(s.loss) && Double.compare(huberDelta, s.huberDelta) == 0
        && Double.compare(targetCenter, s.targetCenter) == 0
        && Double.compare(targetScale, s.targetScale) == 0
        && Objects.equals(inputScaling, s.inputScaling);
  }

  @Override
  public int hashCode() {
    return architecture.hashCode() * 31 + loss.hashCode();
  }
}
