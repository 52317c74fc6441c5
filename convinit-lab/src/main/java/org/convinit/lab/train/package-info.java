/**
 * The training loop {@code convinit train} and every study cell share ({@link org.convinit.lab.train.TrainingLoop}),
 * and its checkpoints: {@link org.convinit.lab.train.Checkpointing} saves a run's {@link org.convinit.lab.train.TrainState}
 * with its model and optimizer, and resumes it bit for bit.
 */
package org.convinit.lab.train;
