package dev.sluice.runtime.function.udf;

/** Finds the class a {@code CREATE FUNCTION} names, in the jars the CLI was given ({@code --udf-jar}). */
public final class UserFunctionClasses {
    private UserFunctionClasses() {
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
}
