package io.sparkbackprop.nn.layer;

import java.util.Locale;

/** The recurrent cells, by the names the {@code cell} param accepts. */
public enum RecurrentCell {
  RNN("rnn"),
  LSTM("lstm"),
  GRU("gru");

  private final String paramName;

  RecurrentCell(String paramName) {
    this.paramName = paramName;
  }

  public String paramName() {
    return paramName;
  }

  /** A layer of this cell. */
  public RecurrentLayer layer(int inputSize, int hiddenSize, boolean bidirectional,
      boolean returnSequences, int bpttSteps) {
    switch (this) {
      case RNN:
        return new ElmanLayer(inputSize, hiddenSize, bidirectional, returnSequences, bpttSteps);
      case LSTM:
        return new LstmLayer(inputSize, hiddenSize, bidirectional, returnSequences, bpttSteps);
      default:
        return new GruLayer(inputSize, hiddenSize, bidirectional, returnSequences, bpttSteps);
    }
  }

  /** All accepted names, in declaration order. */
  public static String[] paramNames() {
    RecurrentCell[] all = values();
    String[] names = new String[all.length];
    for (int i = 0; i < all.length; i++) {
      names[i] = all[i].paramName;
    }
    return names;
  }

  /** Looks a cell up by name, case-insensitively. */
  public static RecurrentCell fromParamName(String name) {
    for (RecurrentCell c : values()) {
      if (c.paramName.equals(name.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException("Unknown cell '" + name + "'; expected one of "
        + String.join(", ", paramNames()));
  }
}
