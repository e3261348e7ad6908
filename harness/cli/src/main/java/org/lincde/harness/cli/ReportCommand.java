package org.lincde.harness.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code lincde report}: re-render the report from stored records, training nothing. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Re-render the reproduction report from stored run records without training.",
            "Takes the same options as 'reproduce'; runs without a record are shown as pending."})
final class ReportCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    ReportOptions options;

    @Override
    public Integer call() throws Exception {
        ReproduceCommand r = new ReproduceCommand();
        r.spec = spec;
        r.options = options;
        r.shard = "1/1";
        r.quiet = true;
        r.renderOnly = true;
        return r.call();
    }
}
