// Renders the app icon's PNGs from resources/icon.svg: `node scripts/build-icons.mjs`.
// resources/icon.png (512×512) is the Electron window and taskbar icon; resources/icons/NxN.png
// are the Linux icon-theme sizes (a packager's linux icon folder), and 32x32.png is also the
// browser tab's fallback for browsers without SVG favicons. The outputs are committed: run this
// after editing the SVG, then look at them.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import sharp from 'sharp'

const resources = path.resolve(import.meta.dirname, '..', 'resources')
const source = path.join(resources, 'icon.svg')
const SIZES = [16, 32, 48, 64, 128, 256]
/** Rendered at four times the target and scaled down, so small sizes stay crisp. */
const OVERSAMPLE = 4
const SVG_SIZE = 512

async function render(size, file) {
  await sharp(source, { density: (72 * size * OVERSAMPLE) / SVG_SIZE })
    .resize(size, size, { kernel: 'lanczos3' })
    .png({ compressionLevel: 9, palette: false })
    .toFile(file)
  console.log(`${path.relative(process.cwd(), file)}  ${size}×${size}`)
}

await mkdir(path.join(resources, 'icons'), { recursive: true })
await render(512, path.join(resources, 'icon.png'))
for (const size of SIZES) await render(size, path.join(resources, 'icons', `${size}x${size}.png`))
