/**
 * {@code example.banded}: a banded SLiCE structure shipped as a plugin jar that needs only
 * {@code lincde-spi} (see this example's README).
 */
package org.lincde.examples.banded;
