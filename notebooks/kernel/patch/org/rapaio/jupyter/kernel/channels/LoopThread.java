package org.rapaio.jupyter.kernel.channels;

/**
 * Stands in for the kernel's own class of this name (rapaio-jupyter-kernel 3.0.1), which kernel.json
 * puts behind this one on the class path. Each of the kernel's channels polls its socket in a loop
 * thread, and in 3.0.1 two start-up races can end the shell channel's thread, after which the kernel
 * never answers and Jupyter gives up ("Kernel didn't respond"); seen in about one start in six on a
 * busy two-core machine:
 *
 * <ul>
 *   <li>the loop is marked as running only after {@code Thread.start()} returns, so a thread that
 *       gets the CPU first sees "not running" and ends at once;
 *   <li>a request that arrives before the kernel has registered its message handlers throws a
 *       NullPointerException, which ends the thread.
 * </ul>
 *
 * Same constructor and methods as the original. Here the flag is set before the thread starts, and
 * an exception from one pass of the loop is reported on standard error and the loop goes on (the
 * request is lost, but Jupyter repeats its first request until it gets an answer).
 */
public final class LoopThread extends Thread {
  /** Exceptions reported in full; later ones are only counted, so a persistent fault cannot flood. */
  private static final int REPORTED_FAILURES = 5;

  private final long pauseMillis;
  private final Runnable body;
  private volatile boolean running;
  private int failures;

  public LoopThread(String name, long pauseMillis, Runnable body) {
    super(name);
    this.pauseMillis = pauseMillis;
    this.body = body;
  }

  @Override
  public synchronized void start() {
    running = true;
    super.start();
  }

  @Override
  public void run() {
    while (running) {
      try {
        body.run();
      } catch (RuntimeException e) {
        failures++;
        if (failures <= REPORTED_FAILURES) {
          System.err.println("[" + getName() + "] kernel loop pass failed (failure " + failures
              + "), going on: " + e);
        }
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        running = false;
      }
    }
  }

  /** Ends the loop after the current pass. */
  public void shutdown() {
    running = false;
  }
}
