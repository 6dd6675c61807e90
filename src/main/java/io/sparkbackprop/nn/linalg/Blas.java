package io.sparkbackprop.nn.linalg;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The single entry point to linear algebra, so that a faster kernel can replace one of the calls
 * without touching the layers. The implementation is chosen once, when this class is initialised,
 * by the system property {@value #PROPERTY}:
 *
 * <ul>
 *   <li>{@code auto} (the default): {@code dev.ludovic.netlib}'s instance if it is native (OpenBLAS
 *       or another system BLAS through JNI) and pinned to one thread ({@link #pinnedToOneThread});
 *       otherwise our own {@link VectorGemm} if the JVM runs with
 *       {@code --add-modules jdk.incubator.vector} and compiles vector code to vector instructions
 *       ({@link #vectorApiCompiles}); otherwise whatever netlib picks. An unpinned OpenBLAS starts
 *       one thread per core inside every Spark task (measured 28x slower than pinned, and slower
 *       than VectorGemm), and {@code dev.ludovic.netlib} 3.2.0 offers no call to pin it, so
 *       {@code auto} never picks it while VectorGemm is usable.
 *   <li>{@code netlib}: whatever {@code dev.ludovic.netlib} picks (native, {@code VectorBLAS} or plain
 *       Java).
 *   <li>{@code vector}: {@link VectorGemm}; fails if the vector module is absent.
 * </ul>
 *
 * {@link VectorGemm} is loaded reflectively and only when chosen, so that no class referring to the
 * incubator module is ever linked in a JVM started without it. On a cluster the property must reach
 * the executors ({@code spark.executor.extraJavaOptions}), where the GEMMs run.
 *
 * <p>Every JVM logs its choice and the reason once, when this class is initialised (on executors,
 * in the first task that stacks training data): at INFO, or at WARN with the fix when the choice is
 * a slow path ({@link #isSlow}).
 */
public final class Blas {
  /** The system property choosing the implementation: {@code auto}, {@code netlib} or {@code vector}. */
  public static final String PROPERTY = "sparkbackprop.blas";

  private static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final String VECTOR_GEMM = "io.sparkbackprop.nn.linalg.VectorGemm";
  /**
   * The environment variables OpenBLAS reads its thread count from, in its order of precedence: the
   * first set to a positive integer wins (GotoBLAS's name, then OpenMP's).
   */
  public static final List<String> THREAD_VARIABLES =
      List.of("OPENBLAS_NUM_THREADS", "GOTO_NUM_THREADS", "OMP_NUM_THREADS");
  private static final String ADD_VECTOR_MODULE = "--add-modules=" + VECTOR_MODULE;

  /** What this class needs from an implementation: single-precision GEMM and a name. */
  interface Sgemm {
    String name();

    /** As {@link Blas#gemm}, for {@code m, n > 0}. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
        float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb, float beta,
        float[] c, int cOffset, int ldc);
  }

  /** An implementation with the reason it was chosen; {@code slow} for the paths to warn about. */
  record Choice(Sgemm sgemm, String reason, boolean slow) {}

  /** The choice made when this class was initialised, logged once per JVM. */
  private static final Choice CHOSEN = logged(select(System.getProperty(PROPERTY, "auto")));

  /** Not final only so that tests can compare implementations in one JVM ({@link #use}). */
  private static Sgemm sgemm = CHOSEN.sgemm();

  private Blas() {}

  /**
   * Name of the implementation in use, for example {@code JNIBLAS}, {@code VectorBLAS} or
   * {@code VectorGemm (jdk.incubator.vector, 512-bit)}.
   */
  public static String implementationName() {
    return sgemm.name();
  }

  /** The implementation this JVM chose and why, e.g. "VectorGemm (...): no native BLAS found". */
  public static String description() {
    return CHOSEN.sgemm().name() + ": " + CHOSEN.reason();
  }

  /**
   * Whether this JVM runs a slow path: netlib's plain-Java BLAS (no vector module, so scalar
   * activation loops too), or native BLAS not pinned to one thread when nothing better is usable.
   */
  public static boolean isSlow() {
    return CHOSEN.slow();
  }

  /**
   * {@code C = alpha * op(A) * op(B) + beta * C} on column-major matrices stored at offsets; op(A) is
   * m x k, op(B) is k x n, C is m x n. As in BLAS, C is not read when beta is 0.
   */
  public static void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb, float beta,
      float[] c, int cOffset, int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    sgemm.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta,
        c, cOffset, ldc);
  }

  /**
   * Switches the implementation as {@value #PROPERTY} would and returns the previous one, to be
   * restored with {@link #use(Sgemm)}. For tests; not meant to race with running GEMMs.
   */
  static Sgemm use(String choice) {
    return use(choose(choice));
  }

  static Sgemm use(Sgemm implementation) {
    Sgemm previous = sgemm;
    sgemm = implementation;
    return previous;
  }

  /** The implementation a value of {@value #PROPERTY} selects in this JVM. */
  static Sgemm choose(String choice) {
    return select(choice).sgemm();
  }

  /** The implementation a value of {@value #PROPERTY} selects in this JVM, with the reason. */
  static Choice select(String choice) {
    switch (choice.trim().toLowerCase(Locale.ROOT)) {
      case "netlib":
        return new Choice(new Netlib(BLAS.getInstance()), PROPERTY + "=netlib", false);
      case "vector":
        if (!vectorModulePresent()) {
          throw new IllegalStateException(PROPERTY + "=vector needs the JVM option --add-modules "
              + VECTOR_MODULE);
        }
        return new Choice(loadVectorGemm(), PROPERTY + "=vector", false);
      case "auto":
        BLAS netlib = BLAS.getInstance();
        boolean vectorModule = vectorModulePresent();
        Auto auto = decideAuto(netlib instanceof NativeBLAS, System.getenv(), vectorModule,
            vectorModule && vectorApiCompiles());
        return new Choice(auto.vectorGemm() ? loadVectorGemm() : new Netlib(netlib),
            auto.reason(), auto.slow());
      default:
        throw new IllegalArgumentException(
            PROPERTY + " must be auto, netlib or vector, got '" + choice + "'");
    }
  }

  /** The automatic choice: VectorGemm or else netlib's instance, why, and whether it is slow. */
  record Auto(boolean vectorGemm, String reason, boolean slow) {}

  /**
   * The automatic choice from what this JVM has: native BLAS only when it is pinned to one thread
   * per task, else VectorGemm when the JVM compiles Vector API code, else netlib's instance (native
   * but unpinned, or plain Java), which is slow and gets a warning with the fix.
   *
   * @param nativeBlas whether netlib loaded a native BLAS
   * @param env the environment (see {@link #THREAD_VARIABLES})
   * @param vectorModule whether the JVM runs with the vector module
   * @param vectorUsable whether VectorGemm runs fast here (the module, FMA and C2)
   */
  static Auto decideAuto(boolean nativeBlas, Map<String, String> env, boolean vectorModule,
      boolean vectorUsable) {
    String threads = threadSetting(env);
    boolean pinned = pinnedToOneThread(env);
    if (nativeBlas && pinned) {
      return new Auto(false, "native BLAS pinned to one thread per task (" + threads + ")", false);
    }
    String unpinned = "native BLAS found but not pinned to one thread (" + threads + "): OpenBLAS "
        + "would start a thread per core inside every Spark task";
    String pin = "set OPENBLAS_NUM_THREADS=1 (on a cluster spark.executorEnv.OPENBLAS_NUM_THREADS=1)";
    if (vectorUsable) {
      return new Auto(true, nativeBlas ? unpinned + "; using the Vector API kernel instead (" + pin
          + " to use native BLAS)" : "no native BLAS found", false);
    }
    String noVector = vectorModule
        ? "this JVM does not compile Vector API code to vector instructions (no FMA, or the C2 "
            + "compiler is off), so the vector kernels would be slower still"
        : "the JVM runs without " + ADD_VECTOR_MODULE;
    if (nativeBlas) {
      return new Auto(false, "slow path: " + unpinned + ", and " + noVector + ". Fix: " + pin
          + (vectorModule ? "" : ", or start the JVM with " + ADD_VECTOR_MODULE), true);
    }
    return new Auto(false, "slow path: plain-Java BLAS and scalar activation loops, many times "
        + "slower: no native BLAS found, and " + noVector + ". Fix: "
        + (vectorModule ? "install OpenBLAS and " + pin
            : "start the JVM with " + ADD_VECTOR_MODULE + " (spark-submit adds it; in a notebook "
                + "kernel or an embedded session add it to the java options), or install OpenBLAS"
                + " and " + pin), true);
  }

  /**
   * Whether the environment pins OpenBLAS to one thread: the first of {@link #THREAD_VARIABLES} set
   * to a positive integer is 1 (OpenBLAS ignores unset, zero and non-numeric values).
   */
  static boolean pinnedToOneThread(Map<String, String> env) {
    for (String name : THREAD_VARIABLES) {
      int value = positiveInteger(env.get(name));
      if (value > 0) {
        return value == 1;
      }
    }
    return false;
  }

  private static String threadSetting(Map<String, String> env) {
    for (String name : THREAD_VARIABLES) {
      if (positiveInteger(env.get(name)) > 0) {
        return name + "=" + env.get(name).trim();
      }
    }
    return String.join(", ", THREAD_VARIABLES) + " unset";
  }

  private static int positiveInteger(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** Logs the choice (once per JVM: called from the static initialiser). */
  private static Choice logged(Choice choice) {
    String message = "BLAS: " + choice.sgemm().name() + " (" + choice.reason() + ")";
    try {
      org.apache.logging.log4j.Logger log =
          org.apache.logging.log4j.LogManager.getLogger(Blas.class);
      if (choice.slow()) {
        log.warn(message);
      } else {
        log.info(message);
      }
    } catch (LinkageError noLog4j) {
      // A JVM without Spark's logging on the class path: the JDK's logger.
      System.getLogger(Blas.class.getName())
          .log(choice.slow() ? System.Logger.Level.WARNING : System.Logger.Level.INFO, message);
    }
    return choice;
  }

  static boolean vectorModulePresent() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
  }

  /**
   * Whether HotSpot turns Vector API code into vector instructions here: it needs fused multiply-add
   * in hardware ({@code UseFMA}; without it every {@code fma} lane falls back to a software routine
   * thousands of times slower) and the C2 compiler ({@code TieredStopAtLevel} 4). True when the JVM
   * does not say (not HotSpot).
   */
  static boolean vectorApiCompiles() {
    try {
      HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
      if (vm == null) {
        return true;
      }
      boolean fma = Boolean.parseBoolean(vm.getVMOption("UseFMA").getValue());
      boolean c2 = !Boolean.parseBoolean(vm.getVMOption("TieredCompilation").getValue())
          || Integer.parseInt(vm.getVMOption("TieredStopAtLevel").getValue()) >= 4;
      return fma && c2;
    } catch (RuntimeException | LinkageError e) {
      return true;
    }
  }

  private static Sgemm loadVectorGemm() {
    try {
      return (Sgemm) Class.forName(VECTOR_GEMM).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException("Cannot load " + VECTOR_GEMM, e);
    }
  }

  /**
   * Throws unless the sizes and leading dimensions are valid and every element the call reads or
   * writes lies inside its array (the checks reference BLAS makes, done up front so that a bad call
   * fails before writing anything).
   */
  static void checkGemmArguments(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb,
      float[] c, int cOffset, int ldc) {
    int aRows = transA ? k : m;
    int aCols = transA ? m : k;
    int bRows = transB ? n : k;
    int bCols = transB ? k : n;
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("GEMM sizes must be >= 0, got m=" + m + ", n=" + n
          + ", k=" + k);
    }
    checkMatrix("A", a, aOffset, lda, aRows, aCols);
    checkMatrix("B", b, bOffset, ldb, bRows, bCols);
    checkMatrix("C", c, cOffset, ldc, m, n);
  }

  private static void checkMatrix(String name, float[] array, int offset, int ld, int rows,
      int cols) {
    if (ld < Math.max(1, rows)) {
      throw new IllegalArgumentException("Leading dimension of " + name + " must be >= "
          + Math.max(1, rows) + ", got " + ld);
    }
    if (rows == 0 || cols == 0) {
      return;
    }
    long last = offset + (long) (cols - 1) * ld + rows - 1;
    if (offset < 0 || last >= array.length) {
      throw new IndexOutOfBoundsException(name + " (" + rows + " x " + cols + ", leading dimension "
          + ld + ", offset " + offset + ") does not fit in an array of " + array.length);
    }
  }

  /** {@code dev.ludovic.netlib}'s BLAS. */
  private static final class Netlib implements Sgemm {
    private final BLAS blas;

    Netlib(BLAS blas) {
      this.blas = blas;
    }

    @Override
    public String name() {
      return blas.getClass().getSimpleName();
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
        float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb, float beta,
        float[] c, int cOffset, int ldc) {
      blas.sgemm(transA ? "T" : "N", transB ? "T" : "N", m, n, k, alpha,
          a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    }
  }
}
