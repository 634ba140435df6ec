package dev.sluice.cli;

/** sysexits(3)-style codes, as DESIGN.md fixes them. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int USAGE = 64;
    public static final int DATA_ERROR = 65;
    public static final int INTERNAL = 70;
    /**
     * {@code sluice run} refused to start: the application's state on the cluster was left by a
     * version this one cannot resume from (EX_CONFIG). {@code --reset-incompatible-state} starts afresh.
     */
    public static final int INCOMPATIBLE_STATE = 78;

    private ExitCodes() {
    }
}
