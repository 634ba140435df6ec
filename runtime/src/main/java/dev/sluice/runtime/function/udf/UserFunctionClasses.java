package dev.sluice.runtime.function.udf;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Finds the class a {@code CREATE FUNCTION} names, in the jars the CLI was given ({@code --udf-jar}),
 * and the functions those jars declare themselves in {@value #MANIFEST}.
 */
public final class UserFunctionClasses {
    /** A jar's own list of functions: {@code NAME = fully.qualified.ClassName}, one a line. */
    public static final String MANIFEST = "META-INF/sluice/functions.properties";

    private UserFunctionClasses() {
    }

    /** One line of a jar's manifest: as if {@code CREATE FUNCTION name AS 'className'} preceded the script. */
    public record Declared(String name, String className, URL manifest) {
    }

    /** @throws IllegalArgumentException saying where the class should come from */
    public static Class<?> load(String className, ClassLoader loader) {
        try {
            return Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("class '" + className + "' was not found; give the jar that holds it"
                    + " with --udf-jar");
        }
    }

    /**
     * The functions the jars of {@code loader} declare in their manifests, by name. Only the loader's own
     * jars count ({@link URLClassLoader#findResources}, not its parents'): the application's classpath
     * declares nothing, so a Sluice build's own resources never turn into functions.
     *
     * @throws IllegalArgumentException when a manifest cannot be read or two jars give one name two classes
     */
    public static List<Declared> declared(ClassLoader loader) {
        if (!(loader instanceof URLClassLoader own)) {
            return List.of();
        }
        Map<String, Declared> byName = new TreeMap<>();
        Enumeration<URL> manifests;
        try {
            manifests = own.findResources(MANIFEST);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot list " + MANIFEST + ": " + e.getMessage());
        }
        for (URL url : Collections.list(manifests)) {
            Properties lines = new Properties();
            try (InputStream in = url.openStream()) {
                lines.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + url + ": " + e.getMessage());
            }
            for (String name : lines.stringPropertyNames()) {
                String className = lines.getProperty(name).trim();
                if (!name.matches("[A-Za-z_][A-Za-z0-9_]*") || className.isEmpty()) {
                    throw new IllegalArgumentException(url + ": `" + name + " = " + className
                            + "` is not `NAME = fully.qualified.ClassName`");
                }
                Declared d = new Declared(name.toUpperCase(Locale.ROOT), className, url);
                Declared earlier = byName.putIfAbsent(d.name(), d);
                if (earlier != null && !earlier.className().equals(className)) {
                    throw new IllegalArgumentException("function " + d.name() + " is declared twice: as "
                            + earlier.className() + " in " + earlier.manifest() + " and as " + className + " in " + url);
                }
            }
        }
        return new ArrayList<>(byName.values());
    }
}
