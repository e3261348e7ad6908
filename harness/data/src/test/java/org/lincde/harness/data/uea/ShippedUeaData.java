package org.lincde.harness.data.uea;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The folder of a dataset lincde ships ({@link BundledUeaData}), as this module's build output holds it: the
 * tests read the same files a fresh clone has, never a folder outside the repository.
 */
final class ShippedUeaData {
    private ShippedUeaData() {
    }

    static Path dir() {
        URL url = ShippedUeaData.class.getClassLoader().getResource(BundledUeaData.RESOURCE_DIR + "SHA256SUMS");
        assertThat(url).as("shipped UEA data on the test class path").isNotNull();
        assertThat(url.getProtocol()).as("this module's resources are a folder in its tests").isEqualTo("file");
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path dataset(String name) {
        Path d = dir().resolve(name);
        assertThat(d).as("shipped UEA dataset " + name).isDirectory();
        return d;
    }
}
