package org.lincde.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.lincde.harness.reproduce.Profile;

/** The quick profile's cost reads the same in {@code Profile}, {@code lincde help reproduce} and the README. */
class QuickCostTest {
    @Test
    void helpAndReadmeStateProfilesMeasuredCost() throws IOException {
        String help = Main.commandLine().getSubcommands().get("reproduce").getUsageMessage()
                .replaceAll("\\s+", " ");
        assertThat(help).contains("quick (the papers' qualitative claims on a laptop CPU, " + Profile.QUICK_COST);
        Path readme = Path.of(System.getProperty("lincde.root.dir", "../.."), "README.md");
        assertThat(Files.readString(readme, StandardCharsets.UTF_8))
                .contains("| `quick` (default) | the papers' qualitative claims at laptop scale | " + Profile.QUICK_COST
                        + " (");
    }
}
