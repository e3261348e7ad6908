package org.lincde.harness.uea;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.lincde.harness.data.uea.UeaRawDataset;
import org.lincde.harness.run.RunContext;
import org.lincde.spi.BackendRegistry;
import org.lincde.spi.StructureRegistry;

/** What the UEA tests share: a quiet run context and the real BasicMotions data as lincde ships it. */
final class UeaTestData {
    private UeaTestData() {}

    static RunContext context() {
        return new RunContext(BackendRegistry.discover(), StructureRegistry.discover(), null,
                RunContext.ProgressFactory.NONE, new PrintWriter(new StringWriter()), 1);
    }

    static UeaRawDataset basicMotions() {
        return UeaSources.bundled("BasicMotions");
    }
}
