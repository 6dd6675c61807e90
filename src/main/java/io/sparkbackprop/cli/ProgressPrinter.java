package io.sparkbackprop.cli;

import io.sparkbackprop.nn.training.IterationRecord;
import io.sparkbackprop.nn.training.TrainingListener;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Receives every training iteration on the driver: keeps the history for the metrics file and the
 * chart, and prints a line every {@code every} iterations with the loss, the validation metric, the
 * elapsed time and an estimate of the time left.
 */
final class ProgressPrinter implements TrainingListener {
  private final PrintStream out;
  private final int every;
  private volatile int maxIter;
  private final List<IterationRecord> records = Collections.synchronizedList(new ArrayList<>());

  /**
   * @param every print every this many iterations (0: never)
   */
  ProgressPrinter(PrintStream out, int every) {
    this.out = out;
    this.every = every;
  }

  /** The iteration budget, for the time estimate (0 if unknown). */
  void setMaxIter(int value) {
    this.maxIter = value;
  }

  @Override
  public void onIteration(IterationRecord record) {
    records.add(record);
    if (every > 0 && (record.iteration() % every == 0 || record.iteration() == maxIter)) {
      out.println(line(record));
      out.flush();
    }
  }

  String line(IterationRecord r) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "iteration %d%s  loss %.5g", r.iteration(),
        maxIter > 0 ? "/" + maxIter : "", r.loss()));
    if (!Double.isNaN(r.validationLoss())) {
      s.append(String.format(Locale.ROOT, "  validation loss %.5g", r.validationLoss()));
    }
    if (!Double.isNaN(r.validationAccuracy())) {
      s.append(String.format(Locale.ROOT, "  validation accuracy %.4f", r.validationAccuracy()));
    }
    double elapsed = r.elapsedMillis() / 1000.0;
    s.append(String.format(Locale.ROOT, "  elapsed %.1fs", elapsed));
    int first = records.isEmpty() ? r.iteration() : records.get(0).iteration();
    int done = r.iteration() - first + 1;
    if (maxIter > 0 && done > 0 && r.iteration() < maxIter) {
      double eta = elapsed / done * (maxIter - r.iteration());
      s.append(String.format(Locale.ROOT, "  eta %.1fs", eta));
    }
    return s.toString();
  }

  /** Every iteration seen so far, in order. */
  List<IterationRecord> records() {
    synchronized (records) {
      return List.copyOf(records);
    }
  }
}
