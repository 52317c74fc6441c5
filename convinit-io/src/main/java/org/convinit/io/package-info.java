/**
 * Checkpoint files: reading and writing PyTorch {@code .pth}/{@code .pt} (zip and legacy), safetensors
 * and NumPy {@code .npy}/{@code .npz}, safely, fast and by key; loading state dicts into modules.
 *
 * <h2>Entry points</h2>
 * <table>
 * <caption>What to call</caption>
 * <tr><th>Task</th><th>Call</th><th>PyTorch equivalent</th></tr>
 * <tr><td>which format is this file</td><td>{@link org.convinit.io.Checkpoints#detect}</td><td>–</td></tr>
 * <tr><td>list tensors without reading data</td><td>{@link org.convinit.io.Checkpoints#open} then
 *     {@link org.convinit.io.CheckpointReader#entries()}</td><td>–</td></tr>
 * <tr><td>one tensor by name</td><td>{@link org.convinit.io.CheckpointReader#tensor(String)}</td><td>{@code torch.load(f)['conv1.weight']}</td></tr>
 * <tr><td>every tensor, flattened names</td><td>{@link org.convinit.io.Checkpoints#readTensors}</td><td>{@code torch.load(f, weights_only=True)}</td></tr>
 * <tr><td>nested content with plain values</td><td>{@link org.convinit.io.Checkpoints#read}</td><td>{@code torch.load(f)}</td></tr>
 * <tr><td>write, format by extension, atomic</td><td>{@link org.convinit.io.Checkpoints#write}</td><td>{@code torch.save(sd, f)}</td></tr>
 * <tr><td>write a nested checkpoint</td><td>{@link org.convinit.io.pth.PthWriter#write}</td><td>{@code torch.save({'epoch': 3, ...}, f)}</td></tr>
 * <tr><td>load into a module with a report</td><td>{@link org.convinit.io.StateDicts#load}</td><td>{@code model.load_state_dict(sd, strict)}</td></tr>
 * <tr><td>key mapping</td><td>{@link org.convinit.io.StateDicts#select}, {@code stripPrefix}, {@code addPrefix}, {@code rename}</td>
 *     <td>{@code sd['state_dict']}, {@code consume_prefix_in_state_dict_if_present}</td></tr>
 * </table>
 *
 * <h2>Safety</h2>
 * Files are hostile input. Pickles go through a restricted unpickler with a fixed allow-list of
 * opcodes and globals (nothing is ever executed or reflected), every length is checked against the
 * bytes that remain before allocating, memo, object count and nesting are capped, storages must be
 * exactly as long as declared and views must lie inside them; zips are read from their central
 * directory with overlapping, duplicate and bomb-like entries refused; safetensors and {@code .npy}
 * headers are parsed without evaluation and capped. Every refusal is a
 * {@link org.convinit.io.CheckpointException} with a {@link org.convinit.io.CheckpointException.Reason}.
 *
 * <h2>Integrity and limits</h2>
 * Every zip record of a {@code .pth} or {@code .npz} is checked against its CRC-32 as it is read (a
 * lazy read checks just the records it reads); a damaged record is refused naming the record and the
 * tensor ({@code Reason.CHECKSUM}); {@link org.convinit.io.ReadOptions#withoutChecksums()} skips the
 * check. safetensors, {@code .npy} and legacy {@code .pth} files carry no checksum: damage to their
 * tensor data cannot be detected. Saves are atomic and durable ({@link org.convinit.io.AtomicFiles}):
 * a kill leaves the old file or the new one, never a mix. Tensors that cannot fit the heap are
 * refused in one message with the {@code -Xmx} to give ({@link org.convinit.io.HeapLimit}).
 */
package org.convinit.io;
