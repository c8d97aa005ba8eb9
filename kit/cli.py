"""The kit's commands. Each subcommand's work lives in its own module; this file only
parses arguments, so that ``python -m kit --help`` lists everything in one place."""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


class _JapaneseParser(argparse.ArgumentParser):
    """argparse that reports usage errors in Japanese and exits 2, as scripts expect."""

    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        self.exit(2, f"エラー: コマンドの指定が正しくありません ({message})\n")


def _count(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"1以上の整数を指定してください: {text}")
    return int(text)


def _serve(args: argparse.Namespace) -> int:
    from kit.serve import serve

    return serve(port=args.port, host=args.host, open_browser=not args.no_browser,
                 store=args.store, pool_size=args.pool_size,
                 facilitator_passphrase_value=args.facilitator_passphrase, room=args.room,
                 max_pages=args.max_pages, max_pages_per_pc=args.max_pages_per_pc)


def _validate(args: argparse.Namespace) -> int:
    from kit.io.cli import main as validate_main

    return validate_main([args.kind, args.file])


def _mask(args: argparse.Namespace) -> int:
    from kit.masking import main as mask_main

    return mask_main()


def _purge(args: argparse.Namespace) -> int:
    from kit.purge import main as purge_main

    return purge_main(args.workshop, store_url=args.store, yes=args.yes)


def _parser() -> argparse.ArgumentParser:
    parser = _JapaneseParser(prog="python -m kit", description="地域づくりワークショップキット")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_JapaneseParser)

    serve = sub.add_parser("serve", help="ノートブックを Voilà で配信する")
    serve.add_argument("--port", type=int, default=8866, help="待ち受けるポート (既定 8866)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="待ち受けるアドレス。会場の他のPCから使うときは 0.0.0.0")
    serve.add_argument("--no-browser", action="store_true", help="ブラウザを自動で開かない")
    serve.add_argument("--store", help="作業内容を保存するデータベース (既定は利用者のデータフォルダ。"
                                       "環境変数 KIT_STORE でも指定できます)")
    serve.add_argument("--pool-size", type=int,
                       help="ページごとに事前に起動しておくカーネルの数 (目安はチーム数の3分の1。"
                            "1つ0.1〜0.3GB、ページは6つ)")
    serve.add_argument("--room", type=_count, metavar="台数",
                       help="最初のページ (00_start) を一斉に開くPCの台数。その数だけカーネルを用意し、"
                            "補充は全員が開いてから行う (1台あたり約0.1GB。20台以上の研修向け)")
    serve.add_argument("--max-pages", type=_count, metavar="数",
                       help="同時に開けるページの数の上限。超えた人には「満員です」のページを出す "
                            "(既定 40、--room を指定したときは台数の2倍)")
    serve.add_argument("--max-pages-per-pc", type=_count, metavar="数",
                       help="1台のPC (アドレス) から同時に開けるページの数の上限 (既定 6)。"
                            "会場のPCがプロキシ経由でつながり、同じアドレスに見えるときは大きくする")
    serve.add_argument("--facilitator-passphrase", metavar="合言葉",
                       help="ファシリテーター用ダッシュボード (09_facilitator.ipynb) を開く合言葉 "
                            "(環境変数 KIT_FACILITATOR_PASSPHRASE でも指定できます)")
    serve.set_defaults(func=_serve)

    validate = sub.add_parser("validate", help="入力ファイルを検査する")
    validate.add_argument("kind", help="areas, population, certification, needs_survey, "
                                       "resources, cases, actors のいずれか")
    validate.add_argument("file", help="検査する .csv または .xlsx")
    validate.set_defaults(func=_validate)

    mask = sub.add_parser("mask", help="標準入力の文章から個人情報 (氏名・電話・メール・住所・生年月日・"
                                       "被保険者番号・マイナンバー) を"
                                       "伏せて標準出力に書く")
    mask.set_defaults(func=_mask)

    purge = sub.add_parser("purge", help="研修が終わったあと、1つの研修のチームと入力内容をすべて削除する")
    purge.add_argument("--workshop", required=True, metavar="研修コード", help="削除する研修のコード (例: K7MPA)")
    purge.add_argument("--store", help="保存先のデータベース (既定は serve と同じ。環境変数 KIT_STORE でも指定できます)")
    purge.add_argument("--yes", action="store_true", help="確認のためのコード入力を省く")
    purge.set_defaults(func=_purge)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    return args.func(args)
