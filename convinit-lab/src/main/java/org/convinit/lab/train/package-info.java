/** The training loop {@code convinit train} and every study cell share ({@link org.convinit.lab.train.TrainingLoop}). */
package org.convinit.lab.train;
