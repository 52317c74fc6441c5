/**
 * Where the images come from: the Fashion-MNIST subset shipped in the jar, or a directory of IDX files
 * ({@link org.convinit.lab.data.DataSource}).
 */
package org.convinit.lab.data;
