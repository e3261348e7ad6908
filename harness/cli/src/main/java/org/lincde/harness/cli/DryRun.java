package org.lincde.harness.cli;

import java.io.PrintWriter;
import java.util.List;
import org.lincde.harness.reproduce.CostModel;
import org.lincde.harness.reproduce.Profile;
import org.lincde.harness.reproduce.Reproducer;
import org.lincde.harness.reproduce.ShardAssignment;
import org.lincde.harness.run.RunPlan;
import org.lincde.harness.results.ResultsStore;

/** {@code reproduce --dry-run}: the plan, its shards and their estimated cost, without training. */
final class DryRun {
    private DryRun() {
    }

    static void print(PrintWriter log, Reproducer.Plan plan, Profile profile, ResultsStore store) {
        ShardAssignment a = plan.assignment();
        double total = 0;
        for (int i = 0; i < a.count(); i++) {
            total += a.estimatedSeconds(i);
        }
        log.printf("profile %s: %d runs planned, estimated %.1f CPU hours in all%n", profile.label(),
                plan.runs().stream().map(RunPlan::key).distinct().count(), total / 3600);
        long conditioning = plan.runs().stream().filter(r -> r instanceof org.lincde.harness.run.PerturbedRunPlan)
                .count();
        if (conditioning > 0) {
            log.printf("(of which %d conditioning runs, the reference from one-ulp-moved initial parameters: each runs "
                    + "only if its cell is outside the cross-backend rule, docs/protocols/agreement.md §2.1)%n",
                    conditioning);
        }
        log.println("(estimates: planned steps x seconds per step from lincde's shipped cost table, measured with "
                + "'lincde bench' on djl, 2 threads; scaled by batch x length and width squared)");
        if (a.count() > 1) {
            for (int i = 0; i < a.count(); i++) {
                log.printf("  shard %d/%d: %4d runs, estimated %8.1f CPU hours%n", i + 1, a.count(),
                        a.runs(i).size(), a.estimatedSeconds(i) / 3600);
            }
        }
        List<RunPlan> mine = a.runs(plan.shard().index());
        log.printf("%s: %d runs, estimated %.1f CPU hours (%d already have a record)%n",
                a.count() > 1 ? "shard " + plan.shard() : "the runs", mine.size(),
                a.estimatedSeconds(plan.shard().index()) / 3600,
                mine.stream().filter(p -> store.has(p.artifact(), p.key())).count());
        for (RunPlan p : mine) {
            log.printf("  %9.2f h  %-9s %s: %s  (%d steps, key %s)%n", CostModel.seconds(p) / 3600,
                    store.has(p.artifact(), p.key()) ? "[done]" : "", p.artifact(), p.cell(), p.plannedSteps(),
                    p.key().substring(0, 12));
        }
        log.flush();
    }
}
