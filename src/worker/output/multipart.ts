// Streams bytes into an R2 multipart upload in uniform parts. R2 requires every part but the
// last to have the same size, at least 5 MiB, so bytes are sliced (never strings: a UTF-8
// character may straddle a cut) into a fixed buffer that is uploaded each time it fills.

export const MIN_PART_SIZE = 5 * 1024 * 1024;

export interface UploadState {
  upload_id: string;
  parts: R2UploadedPart[];
  /** Bytes already in uploaded parts. */
  uploaded_bytes: number;
}

export class MultipartWriter {
  private buffer: Uint8Array;
  private filled = 0;

  private constructor(
    private readonly upload: R2MultipartUpload,
    private readonly partSize: number,
    readonly state: UploadState,
    private readonly onPartUploaded: (state: UploadState) => Promise<void>,
  ) {
    this.buffer = new Uint8Array(partSize);
  }

  static async start(
    bucket: R2Bucket,
    key: string,
    options: { contentType: string; partSize?: number; onPartUploaded?: (state: UploadState) => Promise<void> },
  ): Promise<MultipartWriter> {
    const upload = await bucket.createMultipartUpload(key, { httpMetadata: { contentType: options.contentType } });
    return new MultipartWriter(
      upload,
      options.partSize ?? MIN_PART_SIZE,
      { upload_id: upload.uploadId, parts: [], uploaded_bytes: 0 },
      options.onPartUploaded ?? (async () => {}),
    );
  }

  static resume(
    bucket: R2Bucket,
    key: string,
    state: UploadState,
    options: { partSize?: number; onPartUploaded?: (state: UploadState) => Promise<void> },
  ): MultipartWriter {
    const upload = bucket.resumeMultipartUpload(key, state.upload_id);
    return new MultipartWriter(
      upload,
      options.partSize ?? MIN_PART_SIZE,
      { ...state, parts: [...state.parts] },
      options.onPartUploaded ?? (async () => {}),
    );
  }

  get key(): string {
    return this.upload.key;
  }

  /** Bytes accepted so far: uploaded plus buffered. */
  get bytesWritten(): number {
    return this.state.uploaded_bytes + this.filled;
  }

  async write(bytes: Uint8Array): Promise<void> {
    let offset = 0;
    while (offset < bytes.length) {
      const take = Math.min(this.partSize - this.filled, bytes.length - offset);
      this.buffer.set(bytes.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.partSize) await this.flushPart();
    }
  }

  private async flushPart(): Promise<void> {
    const part = await this.upload.uploadPart(this.state.parts.length + 1, this.buffer.subarray(0, this.filled));
    this.state.parts.push({ partNumber: part.partNumber, etag: part.etag });
    this.state.uploaded_bytes += this.filled;
    this.filled = 0;
    await this.onPartUploaded({ ...this.state, parts: [...this.state.parts] });
  }

  /** Upload what is buffered as the last part and complete the object. Returns its size. */
  async finish(): Promise<number> {
    if (this.filled > 0 || this.state.parts.length === 0) {
      const part = await this.upload.uploadPart(this.state.parts.length + 1, this.buffer.subarray(0, this.filled));
      this.state.parts.push({ partNumber: part.partNumber, etag: part.etag });
      this.state.uploaded_bytes += this.filled;
      this.filled = 0;
    }
    await this.upload.complete(this.state.parts);
    return this.state.uploaded_bytes;
  }

  async abort(): Promise<void> {
    this.filled = 0;
    await this.upload.abort();
  }
}
