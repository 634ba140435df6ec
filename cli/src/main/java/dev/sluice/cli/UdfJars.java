package dev.sluice.cli;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --udf-jar FILE}: jars (or class directories) holding the classes of {@code CREATE FUNCTION name
 * AS 'class'}, or declaring functions themselves in {@code META-INF/sluice/functions.properties}
 * (read by the compiler from this loader's own jars, see {@code UserFunctionClasses.declared}). They
 * become the context class loader before the script is compiled, which is where the compiler
 * looks; threads started afterwards (Kafka Streams') inherit it.
 */
public final class UdfJars {
    private UdfJars() {
    }

    public static void install(List<Path> jars) {
        if (jars.isEmpty()) {
            return;
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            Path jar = jars.get(i);
            if (!Files.isReadable(jar)) {
                throw new UsageException("--udf-jar " + jar + ": no such readable file or directory");
            }
            try {
                urls[i] = jar.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new UsageException("--udf-jar " + jar + ": " + e.getMessage());
            }
        }
        Thread.currentThread().setContextClassLoader(
                new URLClassLoader(urls, Thread.currentThread().getContextClassLoader()));
    }
}
