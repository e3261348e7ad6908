/**
 * R1's JSON experiment configs read unmodified ({@link org.lincde.harness.config.R1Config}, SPEC §4.1 for
 * the keys and their defaults), with lincde's own optional keys. Unknown keys, wrong types and values out
 * of range are a {@link org.lincde.harness.config.ConfigException} naming the file and the key.
 */
package org.lincde.harness.config;
