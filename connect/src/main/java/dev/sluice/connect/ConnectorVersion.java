package dev.sluice.connect;

/** The version every Sluice connector reports to Connect. */
public final class ConnectorVersion {
    public static final String VERSION = "0.1.0";

    private ConnectorVersion() {
    }
}
