/**
 * The {@code lincde} command line (picocli): {@code train}, {@code experiment}, {@code eval}, {@code bench},
 * {@code conformance}, {@code datasets}, {@code reproduce}, {@code report}, {@code backends},
 * {@code structures}. Each command parses and checks its options, turns bad input into one line naming the
 * file, key or flag (exit code 2), and hands the work to the protocols module; {@link org.lincde.harness.cli.Main}
 * is the launcher's entry point. Nothing here computes a number.
 */
package org.lincde.harness.cli;
