package dev.sluice.compiler.analyzer;

import java.util.Locale;
import java.util.Set;

/** Names of Flink's group-window functions and their start/end/rowtime accessors. */
final class WindowFunctions {
    private static final Set<String> WINDOWS = Set.of("TUMBLE", "HOP", "SESSION", "CUMULATE");

    private WindowFunctions() {
    }

    static boolean isGroupWindow(String name) {
        return WINDOWS.contains(name.toUpperCase(Locale.ROOT));
    }

    static boolean isWindowBound(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        int underscore = n.indexOf('_');
        return underscore > 0 && WINDOWS.contains(n.substring(0, underscore))
                && Set.of("START", "END", "ROWTIME", "PROCTIME").contains(n.substring(underscore + 1));
    }

    static String windowOf(String bound) {
        String n = bound.toUpperCase(Locale.ROOT);
        int underscore = n.indexOf('_');
        return underscore > 0 ? n.substring(0, underscore) : n;
    }

    static String boundOf(String bound) {
        String n = bound.toUpperCase(Locale.ROOT);
        return n.substring(n.indexOf('_') + 1);
    }
}
