package io.sparkbackprop.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Samples the machine every two seconds while the suite runs: the 1-minute load average and how many
 * cores processes other than this JVM kept busy (from {@code /proc/stat} minus {@code /proc/self/stat}),
 * so a results file says how shared the machine was. Linux only; elsewhere it reports nothing.
 */
final class LoadMonitor implements AutoCloseable {
  private static final long PERIOD_MS = 2000;
  private final Thread thread;
  private volatile boolean running = true;
  private double loadSum;
  private double loadMax;
  private double otherSum;
  private double otherMax;
  private int samples;

  LoadMonitor() {
    thread = new Thread(this::sample, "suite-load-monitor");
    thread.setDaemon(true);
    thread.start();
  }

  private void sample() {
    long[] last = cpu();
    while (running) {
      try {
        Thread.sleep(PERIOD_MS);
      } catch (InterruptedException e) {
        return;
      }
      long[] now = cpu();
      if (last == null || now == null) {
        continue;
      }
      double hz = 100.0; // USER_HZ on Linux
      double seconds = (now[2] - last[2]) / 1e9;
      double otherCores = ((now[0] - last[0]) - (now[1] - last[1])) / hz / seconds;
      double load = loadAverage();
      synchronized (this) {
        otherSum += Math.max(0, otherCores);
        otherMax = Math.max(otherMax, otherCores);
        loadSum += load;
        loadMax = Math.max(loadMax, load);
        samples++;
      }
      last = now;
    }
  }

  /** Busy jiffies of the machine, of this process, and the time of the reading. */
  private static long[] cpu() {
    try {
      String[] all = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long busy = 0;
      for (int i = 1; i < all.length; i++) {
        if (i != 4 && i != 5) { // skip idle and iowait
          busy += Long.parseLong(all[i]);
        }
      }
      String self = Files.readString(Path.of("/proc/self/stat"));
      String[] f = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
      long mine = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
      return new long[] {busy, mine, System.nanoTime()};
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static double loadAverage() {
    try {
      return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0]);
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  synchronized String describe() {
    if (samples == 0) {
      return "machine load: not sampled";
    }
    return String.format(Locale.ROOT, "machine load while running (%d samples, every %d s): "
            + "1-min load average mean %.2f, max %.2f; cores kept busy by other processes mean %.2f, "
            + "max %.2f (of %d)", samples, PERIOD_MS / 1000, loadSum / samples, loadMax,
        otherSum / samples, otherMax, Runtime.getRuntime().availableProcessors());
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
