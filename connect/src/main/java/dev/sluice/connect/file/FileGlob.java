package dev.sluice.connect.file;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.stream.Stream;

/**
 * A {@code file://} glob such as {@code /data/sales/*.csv} or {@code /warehouse/year=*&#47;month=*&#47;*.parquet}:
 * the fixed directory before the first wildcard, and a matcher for the whole path. A path without
 * a wildcard that names a directory means every file in it.
 */
public record FileGlob(Path root, String pattern) {

    public static FileGlob of(String path) {
        int star = indexOfWildcard(path);
        if (star < 0) {
            Path p = Path.of(path);
            if (Files.isDirectory(p)) {
                return new FileGlob(p, p.toAbsolutePath() + "/*");
            }
            return new FileGlob(p.toAbsolutePath().getParent(), p.toAbsolutePath().toString());
        }
        int slash = path.lastIndexOf('/', star);
        Path root = Path.of(slash <= 0 ? "/" : path.substring(0, slash));
        return new FileGlob(root, path);
    }

    private static int indexOfWildcard(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return i;
            }
        }
        return -1;
    }

    /** The matching regular files, in name order (so files are read oldest name first: dated names). */
    public List<Path> list() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        // '*' stays within one directory level, as in a shell: year=*/month=* walks two levels.
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(matcher::matches)
                    .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
