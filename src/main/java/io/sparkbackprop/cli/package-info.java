/**
 * Command-line entry points for {@code spark-submit} and {@code mvn exec}, built on the Spark ML API.
 */
package io.sparkbackprop.cli;
