package dev.sluice.cli.replay;

import java.nio.file.Path;

/** {@code --input NAME=FILE.jsonl}: the records of one declared source, one per line. */
public record ReplayInput(String source, Path file) {

    public static ReplayInput parse(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new dev.sluice.cli.UsageException("--input takes NAME=FILE, got '" + spec + "'");
        }
        return new ReplayInput(spec.substring(0, eq).trim(), Path.of(spec.substring(eq + 1).trim()));
    }
}
