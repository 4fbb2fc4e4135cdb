/**
 * The simulated microphone's processor: outputs the pushed blocks `{ from, samples }` at the
 * context frames they name, silence elsewhere. Runs in the AudioWorkletGlobalScope.
 */
declare const currentFrame: number;
declare function registerProcessor(name: string, processor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

interface Block {
  readonly from: number;
  readonly samples: Float32Array;
}

class SimulatedMicrophone extends AudioWorkletProcessor {
  private blocks: Block[] = [];

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<Block>) => this.blocks.push(event.data);
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const out = outputs[0]?.[0];
    if (!out) return true;
    const first = currentFrame;
    while (this.blocks.length > 0 && this.blocks[0]!.from + this.blocks[0]!.samples.length <= first) this.blocks.shift();
    for (const block of this.blocks) {
      const start = Math.max(0, block.from - first);
      const end = Math.min(out.length, block.from + block.samples.length - first);
      for (let i = start; i < end; i++) out[i] = block.samples[first + i - block.from]!;
    }
    return true;
  }
}

registerProcessor("simulated-microphone", SimulatedMicrophone);
