package org.lincde.harness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.lincde.harness.io.AtomicFiles;
import org.lincde.harness.reproduce.Profile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lincde submit slurm}: a reproduction as a Slurm job array. The launcher has built lincde once before this
 * command runs; the array's tasks run {@code reproduce --shard i/N} from a snapshot of that class path (hard links,
 * so a later build never changes it), never building. Tasks are requeue-safe: a requeued task skips every run that
 * has a record and resumes the run in flight from its checkpoint.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
        description = {"Submit a reproduction to a cluster scheduler as a job array (Slurm).",
            "",
            "Writes <out>/<profile>/slurm/array.sbatch, a job array of N tasks that each run "
                + "'lincde reproduce --profile P --shard i/N' from a snapshot of the prebuilt class path, and submits it "
                + "with sbatch. Every task writes its records into the same --results folder (on a shared file system); "
                + "with --wait the command waits for the array and renders the merged report into <out>/<profile>/. "
                + "Without --wait, render it later with 'lincde report --profile P'.",
            "",
            "Example: lincde submit slurm --profile paper --shards 8 --partition gpu --gres gpu:1 --time 24:00:00",
            ""})
final class SubmitCommand implements Callable<Integer> {
    private static final Pattern TIME = Pattern.compile("(\\d+-)?\\d{1,3}(:\\d{2}){0,2}");
    private static final Pattern WORD = Pattern.compile("[A-Za-z0-9_.:,=+-]+");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCHEDULER", description = "slurm (the only scheduler supported; Kubernetes "
        + "indexed Jobs run 'reproduce --shard k8s/N' directly, see the README).")
    String scheduler;

    @Option(names = "--profile", defaultValue = "quick", description = "smoke | quick | paper (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--shards", required = true, paramLabel = "N", description = "Number of array tasks (>= 1).")
    int shards;

    @Option(names = "--partition", paramLabel = "NAME", description = "Slurm partition (default: the cluster's).")
    String partition;

    @Option(names = "--time", paramLabel = "HH:MM:SS", description = "Time limit per task (Slurm's --time; default: the partition's).")
    String time;

    @Option(names = "--gres", paramLabel = "SPEC", description = "Generic resources per task, e.g. gpu:1.")
    String gres;

    @Option(names = "--cpus-per-task", defaultValue = "2", paramLabel = "N", description = "CPUs per task; also the "
        + "backend's intra-op threads (default: ${DEFAULT-VALUE}).")
    int cpusPerTask;

    @Option(names = "--backend", paramLabel = "ID", description = "Backend of the runs (default: the highest-ranked).")
    String backend;

    @Option(names = "--dtype", description = "float32 or float64 (default: float32 where the backend has it).")
    String dtype;

    @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--only", split = ",", paramLabel = "ARTIFACT", description = "Run only these artifacts.")
    List<String> only;

    @Option(names = "--results", defaultValue = "results", description = "Results folder every task writes into "
        + "(default: ${DEFAULT-VALUE}; must be on a file system all nodes share).")
    Path results;

    @Option(names = "--out", defaultValue = "reproduction", description = "Report folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--wait", description = "Wait for the array to finish, then render the merged report.")
    boolean await;

    @Option(names = "--dry-run", description = "Write array.sbatch and print it, submit nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        PrintWriter log = spec.commandLine().getOut();
        if (!"slurm".equals(scheduler)) {
            throw new IllegalArgumentException("unknown scheduler '" + scheduler + "': only 'slurm' is supported "
                    + "(for a Kubernetes indexed Job, run 'lincde reproduce --shard k8s/N' in each pod)");
        }
        Profile p = Profile.parse(profile);
        if (shards < 1) {
            throw new IllegalArgumentException("--shards must be at least 1, got " + shards);
        }
        if (cpusPerTask < 1) {
            throw new IllegalArgumentException("--cpus-per-task must be at least 1, got " + cpusPerTask);
        }
        if (time != null && !TIME.matcher(time).matches()) {
            throw new IllegalArgumentException("--time must look like HH:MM:SS, MM:SS or D-HH:MM:SS, got '" + time + "'");
        }
        for (String[] v : new String[][] {{"--partition", partition}, {"--gres", gres}, {"--backend", backend},
            {"--dtype", dtype}, {"--device", device}}) {
            if (v[1] != null && !WORD.matcher(v[1]).matches()) {
                throw new IllegalArgumentException(v[0] + " has characters a job script cannot carry: '" + v[1] + "'");
            }
        }
        String sbatch = dryRun ? "sbatch" : onPath("sbatch");
        String classPathDir = System.getProperty("lincde.classpath.dir");
        if (classPathDir == null || !Files.isDirectory(Path.of(classPathDir, "lib"))) {
            throw new IllegalArgumentException("submit needs the launcher's prebuilt class path: run it as "
                    + "'./lincde submit ...' (lincde.classpath.dir is " + classPathDir + ")");
        }
        Path root = Path.of(System.getProperty("lincde.root.dir", ".")).toAbsolutePath().normalize();
        Path resultsDir = results.toAbsolutePath().normalize();
        Path outDir = out.toAbsolutePath().normalize();
        Path slurmDir = outDir.resolve(p.label()).resolve("slurm");
        Path snapshot = slurmDir.resolve("classpath");
        snapshot(Path.of(classPathDir), snapshot);
        Files.createDirectories(slurmDir.resolve("logs")); // Slurm does not create the folder of --output
        Path script = slurmDir.resolve("array.sbatch");
        AtomicFiles.writeString(script, script(p, root, resultsDir, outDir, slurmDir, snapshot));
        log.printf("wrote %s (%d tasks, class path snapshot %s)%n", script, shards, snapshot);
        if (dryRun) {
            log.print(Files.readString(script));
            log.flush();
            return 0;
        }
        List<String> cmd = new ArrayList<>(List.of(sbatch, "--parsable"));
        if (await) {
            cmd.add("--wait");
        }
        cmd.add(script.toString());
        log.printf("submitting: %s%n", String.join(" ", cmd));
        log.flush();
        Process proc = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(false).start();
        proc.getOutputStream().close();
        String stdout = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        String stderr = new String(proc.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int code = proc.waitFor();
        String jobId = stdout.lines().filter(l -> l.matches("\\d+(;.*)?")).findFirst().map(l -> l.split(";")[0])
                .orElse(null);
        if (jobId == null) {
            throw new IllegalArgumentException("sbatch refused the job array: "
                    + (stderr.isEmpty() ? stdout : stderr.lines().reduce((a, b) -> b).orElse(stderr)));
        }
        AtomicFiles.writeString(slurmDir.resolve("submitted.json"), String.format(Locale.ROOT,
                "{\"job_id\": \"%s\", \"shards\": %d, \"profile\": \"%s\", \"submitted\": \"%s\"}%n", jobId, shards,
                p.label(), Instant.now()));
        log.printf("submitted job array %s (%d tasks); logs in %s%n", jobId, shards, slurmDir.resolve("logs"));
        if (!await) {
            log.printf("when it has finished: ./lincde report --profile %s --results %s --out %s%n", p.label(),
                    resultsDir, outDir);
            return 0;
        }
        if (code != 0) {
            log.printf("array %s finished, but a task failed (sbatch exit code %d): see its log in %s%n", jobId, code,
                    slurmDir.resolve("logs"));
        }
        log.printf("array %s finished; rendering the merged report%n", jobId);
        log.flush();
        ReproduceCommand r = new ReproduceCommand();
        r.spec = spec;
        r.options = new ReportOptions();
        r.options.profile = p.label();
        r.options.backend = new BackendOptions();
        r.options.backend.backend = backend;
        r.options.backend.dtype = dtype;
        r.options.backend.device = device;
        r.options.only = only;
        r.options.results = List.of(resultsDir);
        r.options.out = outDir;
        r.shard = "1/1";
        r.quiet = true;
        r.renderOnly = true;
        int rendered = r.call();
        return code != 0 ? 1 : rendered;
    }

    /** The array script: each task runs its shard from the class-path snapshot and never builds. */
    private String script(Profile p, Path root, Path resultsDir, Path outDir, Path slurmDir, Path snapshot) {
        StringBuilder s = new StringBuilder("#!/bin/bash\n");
        s.append("# lincde ").append(p.label()).append(" profile as a Slurm job array, written by 'lincde submit slurm'.\n");
        s.append("#SBATCH --job-name=lincde-").append(p.label()).append('\n');
        s.append("#SBATCH --array=1-").append(shards).append('\n');
        s.append("#SBATCH --cpus-per-task=").append(cpusPerTask).append('\n');
        s.append("#SBATCH --requeue\n");
        // SIGTERM to the task 120 s before its time limit: the run in flight checkpoints and exits
        s.append("#SBATCH --signal=B:TERM@120\n");
        s.append("#SBATCH --open-mode=append\n");
        s.append("#SBATCH --output=").append(slurmDir.resolve("logs")).append("/%A_%a.out\n");
        if (partition != null) {
            s.append("#SBATCH --partition=").append(partition).append('\n');
        }
        if (time != null) {
            s.append("#SBATCH --time=").append(time).append('\n');
        }
        if (gres != null) {
            s.append("#SBATCH --gres=").append(gres).append('\n');
        }
        s.append("set -euo pipefail\n");
        s.append("CP=").append(quote(snapshot.toString())).append('\n');
        s.append("if [ ! -d \"$CP/lib\" ]; then\n");
        s.append("  echo \"lincde: task $SLURM_ARRAY_TASK_ID: the prebuilt class path $CP is missing; submit again "
                + "with ./lincde submit slurm\" >&2\n  exit 2\nfi\n");
        s.append("cd ").append(quote(root.toString())).append('\n');
        s.append("export OPT_OUT_TRACKING=true DJL_OFFLINE=true OMP_WAIT_POLICY=PASSIVE\n");
        List<String> args = new ArrayList<>(List.of("reproduce", "--profile", p.label(), "--shard",
                "${SLURM_ARRAY_TASK_ID}/" + shards, "--results", quote(resultsDir.toString()), "--out",
                quote(slurmDir.resolve("shard-${SLURM_ARRAY_TASK_ID}").toString()), "--quiet", "--threads",
                Integer.toString(cpusPerTask), "--device", device));
        if (backend != null) {
            args.addAll(List.of("--backend", backend));
        }
        if (dtype != null) {
            args.addAll(List.of("--dtype", dtype));
        }
        if (only != null && !only.isEmpty()) {
            args.addAll(List.of("--only", String.join(",", only)));
        }
        s.append("set +e\n");
        s.append("java ${LINCDE_JAVA_OPTS:-} -Djava.awt.headless=true -Dai.djl.offline=true -DOPT_OUT_TRACKING=true \\\n")
                .append("  -Dlincde.root.dir=").append(quote(root.toString())).append(" -cp \"$CP/lib/*\" ")
                .append("org.lincde.harness.cli.Main \\\n  ").append(String.join(" ", args)).append(" &\n");
        // SIGTERM (preemption, or --signal before the time limit) goes on to the JVM, which checkpoints the run in
        // flight and exits 75; the task then requeues itself and the rerun resumes from the checkpoint
        s.append("PID=$!\n");
        s.append("trap 'kill -TERM $PID 2>/dev/null' TERM\n");
        s.append("wait $PID; RC=$?\n");
        s.append("if kill -0 $PID 2>/dev/null; then wait $PID; RC=$?; fi\n");
        s.append("if [ \"$RC\" -eq ").append(org.lincde.harness.train.Preemption.EXIT_CODE)
                .append(" ]; then scontrol requeue \"${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}\" || true; fi\n");
        s.append("exit $RC\n");
        return s.toString();
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("`", "\\`") + "\"";
    }

    /** A copy of the class path made of hard links (a copy where links are not possible). */
    private static void snapshot(Path from, Path to) throws IOException {
        Path lib = to.resolve("lib");
        if (Files.isDirectory(lib)) {
            try (Stream<Path> old = Files.list(lib)) {
                for (Path f : old.toList()) {
                    Files.delete(f);
                }
            }
        }
        Files.createDirectories(lib);
        try (Stream<Path> jars = Files.list(from.resolve("lib"))) {
            for (Path j : jars.filter(f -> f.toString().endsWith(".jar")).toList()) {
                Path target = lib.resolve(j.getFileName());
                try {
                    Files.createLink(target, j);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(j, target);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String onPath(String program) {
        // lincde.submit.path stands in for PATH in tests (a JVM cannot change its own environment)
        String path = System.getProperty("lincde.submit.path", System.getenv("PATH"));
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                    return Path.of(dir, program).toString();
                }
            }
        }
        throw new IllegalArgumentException("'" + program + "' is not on the PATH: submit needs Slurm's client tools "
                + "(use --dry-run to only write the job script)");
    }
}
