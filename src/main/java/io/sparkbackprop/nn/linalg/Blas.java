package io.sparkbackprop.nn.linalg;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The single entry point to linear algebra, so that a faster kernel can replace one of the calls
 * without touching the layers. The implementation is chosen once, when this class is initialised,
 * by the system property {@value #PROPERTY}:
 *
 * <ul>
 *   <li>{@code auto} (the default): {@code dev.ludovic.netlib}'s instance if it is native (OpenBLAS
 *       or another system BLAS through JNI); otherwise our own {@link VectorGemm} if the JVM runs with
 *       {@code --add-modules jdk.incubator.vector} and compiles vector code to vector instructions
 *       ({@link #vectorApiCompiles}); otherwise whatever netlib picks.
 *   <li>{@code netlib}: whatever {@code dev.ludovic.netlib} picks (native, {@code VectorBLAS} or plain
 *       Java).
 *   <li>{@code vector}: {@link VectorGemm}; fails if the vector module is absent.
 * </ul>
 *
 * {@link VectorGemm} is loaded reflectively and only when chosen, so that no class referring to the
 * incubator module is ever linked in a JVM started without it. On a cluster the property must reach
 * the executors ({@code spark.executor.extraJavaOptions}), where the GEMMs run.
 */
public final class Blas {
  /** The system property choosing the implementation: {@code auto}, {@code netlib} or {@code vector}. */
  public static final String PROPERTY = "sparkbackprop.blas";

  private static final String VECTOR_MODULE = "jdk.incubator.vector";
  private static final String VECTOR_GEMM = "io.sparkbackprop.nn.linalg.VectorGemm";

  /** What this class needs from an implementation: single-precision GEMM and a name. */
  interface Sgemm {
    String name();

    /** As {@link Blas#gemm}, for {@code m, n > 0}. */
    void gemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
        float[] a, int aOffset, int lda, float[] b, int bOffset, int ldb, float beta,
        float[] c, int cOffset, int ldc);
  }

  /** Not final only so that tests can compare implementations in one JVM ({@link #use}). */
  private static Sgemm sgemm = choose(System.getProperty(PROPERTY, "auto"));

  private Blas() {}

  /**
   * Name of the implementation in use, for example {@code JNIBLAS}, {@code VectorBLAS} or
   * {@code VectorGemm (jdk.incubator.vector, 512-bit)}.
   */
  public static String implementationName() {
    return sgemm.name();
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
    switch (choice.trim().toLowerCase(Locale.ROOT)) {
      case "netlib":
        return new Netlib(BLAS.getInstance());
      case "vector":
        if (!vectorModulePresent()) {
          throw new IllegalStateException(PROPERTY + "=vector needs the JVM option --add-modules "
              + VECTOR_MODULE);
        }
        return loadVectorGemm();
      case "auto":
        BLAS netlib = BLAS.getInstance();
        if (netlib instanceof NativeBLAS || !vectorModulePresent() || !vectorApiCompiles()) {
          return new Netlib(netlib);
        }
        return loadVectorGemm();
      default:
        throw new IllegalArgumentException(
            PROPERTY + " must be auto, netlib or vector, got '" + choice + "'");
    }
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
