package org.lincde.harness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.lincde.harness.data.uea.BundledUeaData;
import org.lincde.harness.data.uea.ChecksumMismatchException;
import org.lincde.harness.data.uea.UeaChecksums;
import org.lincde.harness.data.uea.UeaDownloader;
import org.lincde.harness.uea.UeaDataLocator;
import org.lincde.harness.uea.UeaExperiment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lincde datasets fetch uea}: downloads the UEA datasets of the SLiCE/Log-NCDE comparison (SPEC §3.5)
 * with {@link UeaDownloader} and unpacks each into {@code <dir>/<Name>/}, where the UEA run plans find them
 * ({@link UeaDataLocator}). Without {@code --names} it fetches what the report lacks: the UEA datasets of
 * {@code slice-uea} and {@code uea-mini} that no searched folder holds and lincde does not ship. lincde ships no
 * SHA-256 for the paper datasets' zips yet (none could be computed from a download when this was written): such
 * downloads are reported as unchecked, with their observed sum. The only lincde command that uses the network.
 */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = {"Download datasets that lincde cannot generate itself (the only command that uses the network)."},
        subcommands = {DatasetsCommand.Fetch.class})
public final class DatasetsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The locator the report would use, given {@code --dir} (or null): where "missing" is decided. */
    private final Function<Path, UeaDataLocator> locators;

    /** The command as users run it: the report's default search path, plus {@code --dir}. */
    public DatasetsCommand() {
        this(dir -> {
            UeaDataLocator d = UeaDataLocator.defaults();
            List<Path> roots = new ArrayList<>();
            if (dir != null) {
                roots.add(dir);
            }
            roots.addAll(d.roots());
            return new UeaDataLocator(new ArrayList<>(new LinkedHashSet<>(roots)), true);
        });
    }

    /** With another search path (tests). */
    DatasetsCommand(Function<Path, UeaDataLocator> locators) {
        this.locators = locators;
    }

    /**
     * The UEA datasets the report reads ({@code slice-uea}'s six, then {@code uea-mini}'s two) that
     * {@code locator} cannot find: what {@code datasets fetch uea} fetches when no names are given.
     */
    static List<String> missing(UeaDataLocator locator) {
        List<String> out = new ArrayList<>();
        for (List<UeaExperiment> group : List.of(UeaExperiment.PAPER, UeaExperiment.MINI)) {
            for (UeaExperiment e : group) {
                if (!locator.available(e.dataset()) && !out.contains(e.dataset())) {
                    out.add(e.dataset());
                }
            }
        }
        return out;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code datasets fetch uea}. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Download and unpack a dataset collection (uea): by default, what the report lacks.",
                "",
                "Without --names it fetches the datasets of slice-uea (EigenWorms, EthanolConcentration, Heartbeat, "
                    + "MotorImagery, SelfRegulationSCP1, SelfRegulationSCP2) and uea-mini (BasicMotions, "
                    + "JapaneseVowels: shipped with lincde, so never missing) that no searched folder holds. "
                    + "Interrupted downloads resume.",
                "",
                "lincde ships no SHA-256 for the six paper datasets' zips yet: their downloads are reported as "
                    + "unchecked, with the observed sum; pin sums with --checksums.", ""})
    static final class Fetch implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.ParentCommand
        DatasetsCommand parent;

        @Parameters(index = "0", paramLabel = "COLLECTION", description = "uea")
        String collection;

        @Option(names = "--url", paramLabel = "URL",
                description = "Folder URL holding <Name>.zip (default: ${DEFAULT-VALUE}).",
                defaultValue = "https://timeseriesclassification.com/aeon-toolkit/")
        URI base;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "Where to put the datasets (default: <project>/.lincde/data/uea).")
        Path dir;

        @Option(names = "--names", split = ",", paramLabel = "NAME",
                description = "Datasets to fetch, fetched even when present (default: what the report lacks).")
        List<String> names;

        @Option(names = "--archive", description = "Download the whole 2018 multivariate ARFF archive instead of "
                + "one zip per dataset (what the authors' pipeline fetched; far larger).")
        boolean archive;

        @Option(names = "--checksums", paramLabel = "FILE",
                description = "Properties file of <file name>=<sha256> lines to verify downloads against.")
        Path checksums;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!"uea".equals(collection)) {
                throw new IllegalArgumentException("unknown dataset collection '" + collection + "' (available: uea)");
            }
            Path target = (dir != null ? dir : UeaDataLocator.projectRoot().resolve(UeaDataLocator.DEFAULT_RELATIVE))
                    .toAbsolutePath().normalize();
            String b = base.toString();
            URI folder = URI.create(b.endsWith("/") ? b : b + "/");
            if (checksums != null && !java.nio.file.Files.isRegularFile(checksums)) {
                throw new IllegalArgumentException("--checksums " + checksums + (java.nio.file.Files.exists(checksums)
                        ? " is not a regular file" : ": no such file"));
            }
            UeaChecksums sums = checksums == null ? UeaChecksums.none() : UeaChecksums.load(checksums);
            UeaDownloader.Settings defaults = UeaDownloader.Settings.defaults(target.resolve("downloads"), sums);
            UeaDownloader downloader = new UeaDownloader(new UeaDownloader.Settings(folder, defaults.directory(),
                    sums, false, defaults.connectTimeout(), defaults.readTimeout(), defaults.maxAttempts()));
            List<String> wanted = names;
            if (wanted == null || wanted.isEmpty()) {
                UeaDataLocator locator = parent.locators.apply(dir == null ? null : dir.toAbsolutePath().normalize());
                wanted = missing(locator);
                if (wanted.isEmpty()) {
                    out.printf("Nothing to fetch: every UEA dataset of the report is here (searched %s). Name datasets"
                            + " with --names to download them anyway.%n", locator.searched());
                    return 0;
                }
                out.printf("The report lacks %d UEA dataset%s: %s (%s ship with lincde). Fetching into %s%n",
                        wanted.size(), wanted.size() == 1 ? "" : "s", String.join(", ", wanted),
                        String.join(" and ", BundledUeaData.NAMES), target);
            }
            int failed = 0;
            List<String> unchecked = new ArrayList<>();
            UeaDownloader.Result whole = null;
            for (String name : wanted) {
                URI source = archive ? UeaDownloader.ARCHIVE : folder.resolve(name + ".zip");
                try {
                    UeaDownloader.Result r;
                    if (archive) {
                        whole = whole != null ? whole : downloader.downloadArchive();
                        r = whole;
                    } else {
                        r = downloader.download(name);
                    }
                    List<Path> files;
                    try {
                        files = UeaDownloader.extractDataset(r.file(), name, target.resolve(name));
                    } catch (IOException e) {
                        // not a usable archive: deleted, so the next run downloads it again rather than reusing it
                        failed++;
                        if (!archive) {
                            java.nio.file.Files.deleteIfExists(r.file());
                        }
                        err.printf("%s: cannot unpack %s: %s%s%n", name, r.file(), e.getMessage(),
                                archive ? "" : " (the download was deleted)");
                        continue;
                    }
                    out.printf("%-22s %s (%d bytes, sha256 %s, %s) → %s (%d files)%n", name, r.file().getFileName(),
                            r.bytes(), r.sha256(), r.verified() ? "verified" : "unchecked: lincde ships no SHA-256 for it",
                            target.resolve(name), files.size());
                    String line = r.file().getFileName() + "=" + r.sha256();
                    if (!r.verified() && !unchecked.contains(line)) {
                        unchecked.add(line);
                    }
                } catch (ChecksumMismatchException e) {
                    failed++;
                    err.printf("%s: %s%n", name, e.getMessage());
                } catch (IOException e) {
                    failed++;
                    err.printf("%s: cannot download %s: %s%n", name, source, e.getMessage());
                    err.printf("  lincde is offline-first: only this command uses the network. Without network access,"
                            + " download %s by hand%n  and unpack %s_TRAIN and %s_TEST (.arff or .ts) into %s%n", source,
                            name, name, target.resolve(name));
                }
                out.flush();
                err.flush();
            }
            out.printf("%d of %d datasets in %s%n", wanted.size() - failed, wanted.size(), target);
            if (!unchecked.isEmpty()) {
                out.printf("Unchecked: no SHA-256 was known for %d file%s. To pin what you received, save these lines"
                        + " to a file and pass it as --checksums next time:%n  %s%n", unchecked.size(),
                        unchecked.size() == 1 ? "" : "s", String.join("\n  ", unchecked));
            }
            return failed == 0 ? 0 : 1;
        }
    }
}
