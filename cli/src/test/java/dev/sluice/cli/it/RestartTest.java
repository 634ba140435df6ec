package dev.sluice.cli.it;

import dev.sluice.cli.broker.EmbeddedKafkaBroker;
import dev.sluice.compiler.CompiledScript;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only instance stops in the middle of a windowed aggregation and starts again on a machine
 * without its disk (a new state directory): the windows' partial state comes back from the
 * changelog, and every window is emitted once with its full count.
 */
@ExtendWith(KafkaBrokerExtension.class)
class RestartTest {

    @Test
    void anInstanceRestartedWithoutItsDiskRestoresStateFromTheChangelogAndCompletesEveryWindow(
            EmbeddedKafkaBroker broker, @TempDir Path dir) throws Exception {
        String app = KafkaBrokerExtension.uniqueName("restart");
        CompiledScript script = ItSupport.compile(WindowedClicks.sql(app), "clicks");
        WindowedClicks.stopAndRestart(broker, script, app, dir.resolve("first"), dir.resolve("second"));
    }
}
