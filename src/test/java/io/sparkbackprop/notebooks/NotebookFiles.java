package io.sparkbackprop.notebooks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Where the notebooks and Zeppelin notes live, for the tests that check them. */
final class NotebookFiles {
  private NotebookFiles() {}

  /** The project's root: Maven runs tests there and says so in {@code basedir}. */
  static Path projectRoot() {
    Path root = Paths.get(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("notebooks/run.sh"))) {
      throw new IllegalStateException("No notebooks/run.sh under " + root
          + "; run the tests from the project root (Maven does)");
    }
    return root;
  }

  /** {@code notebooks/*.ipynb}, in name order. */
  static List<Path> jupyterNotebooks(Path root) throws IOException {
    return filesEndingWith(root.resolve("notebooks"), ".ipynb");
  }

  /** {@code notebooks/zeppelin/*.zpln}, in name order. */
  static List<Path> zeppelinNotes(Path root) throws IOException {
    return filesEndingWith(root.resolve("notebooks/zeppelin"), ".zpln");
  }

  private static List<Path> filesEndingWith(Path dir, String suffix) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(suffix) && Files.isRegularFile(f))
          .sorted()
          .collect(Collectors.toList());
    }
  }
}
