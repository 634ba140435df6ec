package dev.sluice.cli.broker;

/** A JVM that owns an embedded broker and prints its pid, so a test can kill this JVM with SIGKILL. */
public final class BrokerOwnerMain {
    private BrokerOwnerMain() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
        System.out.println("BROKER_PID " + broker.processId());
        Thread.sleep(Long.MAX_VALUE);
    }
}
