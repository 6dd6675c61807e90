package io.sparkbackprop.ml;

/**
 * Makes Spark's Scala Predictor classes extendable from Java. Their trait initialisers run inside the
 * superclass constructor and already call {@code uid()}, before any Java field is assigned. A stage's
 * public constructor stashes the uid here before calling {@code super()}, and {@code uid()} reads it
 * until the field is set.
 *
 * <pre>{@code
 * public Stage(String uid) { this(PendingUid.stash(uid), true); }
 * private Stage(String uid, boolean stashed) { super(); this.uid = PendingUid.take(uid); ... }
 * public String uid() { return uid != null ? uid : PendingUid.peek(); }
 * }</pre>
 */
final class PendingUid {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private PendingUid() {}

  /** Remembers the uid for the constructor about to run on this thread. */
  static String stash(String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("A stage uid must be a non-empty string");
    }
    PENDING.set(uid);
    return uid;
  }

  /** The uid of the constructor running on this thread, for calls made before it is stored. */
  static String peek() {
    return PENDING.get();
  }

  /** Clears the stash once the constructor has stored the uid, and returns it. */
  static String take(String uid) {
    PENDING.remove();
    return uid;
  }
}
