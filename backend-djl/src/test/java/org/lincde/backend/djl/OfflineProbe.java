package org.lincde.backend.djl;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.URI;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.lincde.spi.Backend;
import org.lincde.spi.Batch;
import org.lincde.spi.DType;
import org.lincde.spi.Device;
import org.lincde.spi.ForwardMode;
import org.lincde.spi.LinearCdeSpec;
import org.lincde.spi.Objective;
import org.lincde.spi.OptimizerSpec;
import org.lincde.spi.Rng;
import org.lincde.spi.SequenceModel;
import org.lincde.spi.Session;
import org.lincde.spi.SessionOptions;
import org.lincde.spi.StructureRegistry;
import org.lincde.spi.StructureSpec;
import org.lincde.spi.model.Models;

/**
 * Run in a fresh JVM by {@link OfflineFreshJvmTest}: discovers the backend, opens a session (engine
 * start) and takes one training step, printing {@code PROBE key=value} lines. Every connection
 * attempt made through {@code java.net} (sockets and URL connections ask the default
 * {@link ProxySelector} first) is recorded; a loopback connection made on purpose shows the
 * recorder works.
 */
public final class OfflineProbe {
    private OfflineProbe() {}

    /** Records every URI a connection is about to be made to. */
    static final class Recorder extends ProxySelector {
        final List<URI> seen = new CopyOnWriteArrayList<>();

        @Override
        public List<Proxy> select(URI uri) {
            seen.add(uri);
            return List.of(Proxy.NO_PROXY);
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            // recorded in select already
        }
    }

    /** Entry point. */
    public static void main(String[] args) throws IOException {
        Recorder recorder = new Recorder();
        ProxySelector.setDefault(recorder);
        Backend djl = null;
        for (Backend b : ServiceLoader.load(Backend.class)) {
            if (b.id().equals("djl")) {
                djl = b;
            }
        }
        if (djl == null) {
            throw new IllegalStateException("backend 'djl' not discovered");
        }
        System.out.println("PROBE capabilities=" + djl.capabilities().dtypes().size() + " dtypes");
        System.out.println("PROBE discovery-done");
        System.out.flush();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             Socket control = new Socket()) {
            control.connect(server.getLocalSocketAddress(), 2000);
        }
        SessionOptions opts = new SessionOptions(DType.FLOAT32, Device.CPU, 1, true, null);
        try (Session s = djl.open(opts)) {
            for (String k : List.of("ai.djl.offline", "OPT_OUT_TRACKING", "ai.djl.pytorch.num_threads",
                    "ai.djl.pytorch.num_interop_threads", "DJL_CACHE_DIR")) {
                System.out.println("PROBE property." + k + "=" + System.getProperty(k));
            }
            s.provenance().forEach((k, v) -> System.out.println("PROBE provenance." + k + "=" + v));
            LinearCdeSpec spec = LinearCdeSpec.r1(5, 3, 8, 2, StructureSpec.of("block-diagonal", "block_size", "2"));
            Rng rng = Rng.seeded(1);
            try (SequenceModel m = s.model(spec, Models.initialize(spec, StructureRegistry.discover(), rng))) {
                int[] ids = new int[2 * 6];
                boolean[] mask = new boolean[ids.length];
                mask[5] = true;
                Batch b = Batch.of(new Batch.TokenInputs(2, 6, ids), new Batch.TokenTargets(new int[ids.length], mask));
                SequenceModel.StepReport r = m.trainStep(List.of(b), Objective.maskedCrossEntropy(0.01),
                        OptimizerSpec.AdamW.r1(), 1e-3, ForwardMode.training(rng.stream("dropout")));
                System.out.println("PROBE step.finite=" + r.finite());
            }
        }
        for (URI u : recorder.seen) {
            System.out.println("PROBE connect=" + u);
        }
        System.out.println("PROBE end");
    }
}
