from django.apps import AppConfig

# qpdf decodes compressed streams while reading an upload (object streams, images when
# flattening). A small file can declare gigabytes of them: past this size a stream is
# not decoded and the file is refused as damaged, so memory and time stay bounded.
PDF_MAX_DECODED_STREAM_BYTES = 128 * 1024 * 1024


class PapersConfig(AppConfig):
    name = "papers"
    verbose_name = "Papers: documents, covering reports and report requests"

    def ready(self):
        import pikepdf

        # Process-wide, set once at start-up before any request uses pikepdf.
        pikepdf.settings.set_qpdf_limits(
            flate_max_memory=PDF_MAX_DECODED_STREAM_BYTES,
            png_max_memory=PDF_MAX_DECODED_STREAM_BYTES,
            run_length_max_memory=PDF_MAX_DECODED_STREAM_BYTES,
            tiff_max_memory=PDF_MAX_DECODED_STREAM_BYTES,
            dct_max_memory=PDF_MAX_DECODED_STREAM_BYTES,
        )
