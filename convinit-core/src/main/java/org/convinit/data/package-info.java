/**
 * Datasets and batching: the IDX file format ({@link org.convinit.data.Idx}, plain or gzip), Fashion-MNIST
 * ({@link org.convinit.data.FashionMnist}, images as torchvision's {@code ToTensor()} gives them), and a
 * {@link org.convinit.data.DataLoader} whose shuffled batches are torch 1.13's for the same generator seed.
 *
 * <table>
 * <caption>convinit names and their torch equivalents</caption>
 * <tr><th>convinit</th><th>torch</th></tr>
 * <tr><td>{@link org.convinit.data.Dataset}</td><td>{@code torch.utils.data.Dataset} plus default collation</td></tr>
 * <tr><td>{@link org.convinit.data.ImageDataset}</td>
 *     <td>{@code torchvision.datasets.FashionMNIST(root, train, transform=ToTensor())}</td></tr>
 * <tr><td>{@code new DataLoader<>(ds, DataLoader.Options.of(64).shuffle(true).generator(new Generator(s)))}</td>
 *     <td>{@code DataLoader(ds, batch_size=64, shuffle=True, generator=torch.Generator().manual_seed(s))}</td></tr>
 * <tr><td>{@link org.convinit.random.Generator#randperm}</td><td>{@code torch.randperm(n, generator=g)}</td></tr>
 * </table>
 */
package org.convinit.data;
