using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cast2md.Whisper.Native;

/// <summary>
/// The C functions of whisper.h 1.9.1 that we use, with their C names and parameter names.
/// "whisper" is resolved by <see cref="WhisperLibrary"/> (never by the default probing), so nothing here may be
/// called before <see cref="WhisperLibrary.EnsureLoaded"/>. Pointers to opaque structs are nint.
/// </summary>
internal static unsafe partial class WhisperNative
{
    public const string LibraryName = "whisper";

    // const char * whisper_version(void);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* whisper_version();

    // const char * whisper_print_system_info(void);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* whisper_print_system_info();

    // void whisper_log_set(ggml_log_callback log_callback, void * user_data);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void whisper_log_set(nint log_callback, nint user_data);

    // struct whisper_context_params * whisper_context_default_params_by_ref(void);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial WhisperContextParams* whisper_context_default_params_by_ref();

    // void whisper_free_context_params(struct whisper_context_params * params);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void whisper_free_context_params(WhisperContextParams* @params);

    // struct whisper_full_params * whisper_full_default_params_by_ref(enum whisper_sampling_strategy strategy);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial WhisperFullParams* whisper_full_default_params_by_ref(WhisperSamplingStrategy strategy);

    // void whisper_free_params(struct whisper_full_params * params);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void whisper_free_params(WhisperFullParams* @params);

    // struct whisper_context * whisper_init_from_file_with_params_no_state(const char * path_model, struct whisper_context_params params);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint whisper_init_from_file_with_params_no_state(byte* path_model, WhisperContextParams @params);

    // struct whisper_state * whisper_init_state(struct whisper_context * ctx);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial nint whisper_init_state(nint ctx);

    // void whisper_free(struct whisper_context * ctx);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void whisper_free(nint ctx);

    // void whisper_free_state(struct whisper_state * state);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial void whisper_free_state(nint state);

    // int whisper_is_multilingual(struct whisper_context * ctx);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int whisper_is_multilingual(nint ctx);

    // int whisper_pcm_to_mel_with_state(struct whisper_context * ctx, struct whisper_state * state, const float * samples, int n_samples, int n_threads);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int whisper_pcm_to_mel_with_state(nint ctx, nint state, float* samples, int n_samples, int n_threads);

    // int whisper_lang_max_id(void);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int whisper_lang_max_id();

    // int whisper_lang_id(const char * lang);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int whisper_lang_id(byte* lang);

    // const char * whisper_lang_str(int id);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* whisper_lang_str(int id);

    // int whisper_lang_auto_detect_with_state(struct whisper_context * ctx, struct whisper_state * state, int offset_ms, int n_threads, float * lang_probs);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int whisper_lang_auto_detect_with_state(nint ctx, nint state, int offset_ms, int n_threads, float* lang_probs);

    // int whisper_full_with_state(struct whisper_context * ctx, struct whisper_state * state, struct whisper_full_params params, const float * samples, int n_samples);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int whisper_full_with_state(nint ctx, nint state, WhisperFullParams @params, float* samples, int n_samples);

    // int whisper_full_n_segments_from_state(struct whisper_state * state);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial int whisper_full_n_segments_from_state(nint state);

    // int64_t whisper_full_get_segment_t0_from_state(struct whisper_state * state, int i_segment);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial long whisper_full_get_segment_t0_from_state(nint state, int i_segment);

    // int64_t whisper_full_get_segment_t1_from_state(struct whisper_state * state, int i_segment);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial long whisper_full_get_segment_t1_from_state(nint state, int i_segment);

    // const char * whisper_full_get_segment_text_from_state(struct whisper_state * state, int i_segment);
    [LibraryImport(LibraryName), UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    public static partial byte* whisper_full_get_segment_text_from_state(nint state, int i_segment);
}
