package dev.sluice.cli.nexmark;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/** Compiles Java sources into a jar at test time: a user's UDF jar, not on the test classpath. */
final class UdfJar {
    private UdfJar() {
    }

    static Path build(Path dir, Path... sources) throws IOException {
        return build(dir, java.util.Map.of(), sources);
    }

    /** Also puts {@code resources} (path in the jar to its text) into the jar, e.g. a functions manifest. */
    static Path build(Path dir, java.util.Map<String, String> resources, Path... sources) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Path classes = Files.createDirectories(dir.resolve("classes"));
        String[] args = new String[sources.length + 2];
        args[0] = "-d";
        args[1] = classes.toString();
        for (int i = 0; i < sources.length; i++) {
            args[i + 2] = sources[i].toString();
        }
        if (javac.run(null, null, null, args) != 0) {
            throw new IllegalStateException("javac failed on " + java.util.Arrays.toString(sources));
        }
        Path jar = dir.resolve("udf.jar");
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out);
             Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                j.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                j.write(Files.readAllBytes(f));
                j.closeEntry();
            }
            for (java.util.Map.Entry<String, String> r : resources.entrySet()) {
                j.putNextEntry(new JarEntry(r.getKey()));
                j.write(r.getValue().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                j.closeEntry();
            }
        }
        return jar;
    }
}
