// Start-up script of the java-spark kernel (RJK_INIT_SCRIPT in kernel.json); runs before the first cell.
//
// The kernel configures java.util.logging at FINEST, and it does so after running this script. Spark
// bridges java.util.logging into its own logging, and at FINEST Janino's tracing makes Spark's code
// generation fail ("Failed to compile the generated Java code"). So the root level is set to WARNING
// now and again whenever the logging configuration is re-read.
java.util.logging.LogManager.getLogManager().addConfigurationListener(
    () -> java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING));
java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
