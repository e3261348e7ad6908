package org.lincde.harness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.lincde.harness.data.uea.ChecksumMismatchException;
import org.lincde.harness.data.uea.UeaChecksums;
import org.lincde.harness.data.uea.UeaDownloader;
import org.lincde.harness.uea.UeaDataLocator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code lincde datasets fetch uea}: downloads the UEA datasets of the SLiCE/Log-NCDE comparison (SPEC §3.5)
 * with {@link UeaDownloader} and unpacks each into {@code <dir>/<Name>/}, where the UEA run plans find them
 * ({@link UeaDataLocator}). The only lincde command that uses the network.
 */
@Command(name = "datasets", mixinStandardHelpOptions = true,
        description = {"Download datasets that lincde cannot generate itself (the only command that uses the network)."},
        subcommands = {DatasetsCommand.Fetch.class})
public final class DatasetsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code datasets fetch uea}. */
    @Command(name = "fetch", mixinStandardHelpOptions = true,
            description = {"Download and unpack a dataset collection. Collections: uea (the six UEA datasets of the",
                "SLiCE/Log-NCDE table: EigenWorms, EthanolConcentration, Heartbeat, MotorImagery,",
                "SelfRegulationSCP1, SelfRegulationSCP2). Interrupted downloads resume; files with a known",
                "SHA-256 (--checksums) are verified."})
    static final class Fetch implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

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
                description = "Datasets to fetch (default: the six of the paper).")
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
            UeaChecksums sums = checksums == null ? UeaChecksums.none() : UeaChecksums.load(checksums);
            UeaDownloader.Settings defaults = UeaDownloader.Settings.defaults(target.resolve("downloads"), sums);
            UeaDownloader downloader = new UeaDownloader(new UeaDownloader.Settings(folder, defaults.directory(),
                    sums, false, defaults.connectTimeout(), defaults.readTimeout(), defaults.maxAttempts()));
            List<String> wanted = names == null || names.isEmpty() ? UeaDownloader.PAPER_DATASETS : names;
            int failed = 0;
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
                    List<Path> files = UeaDownloader.extractDataset(r.file(), name, target.resolve(name));
                    out.printf("%-22s %s (%d bytes, sha256 %s%s) → %s (%d files)%n", name, r.file().getFileName(),
                            r.bytes(), r.sha256(), r.verified() ? ", verified" : ", not verified: no known checksum",
                            target.resolve(name), files.size());
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
            return failed == 0 ? 0 : 1;
        }
    }
}
