"""Text intelligence (文本智能): phrase library, forbidden-phrase checker, 回单 check, classifier and
repeat-complaint similarity. See README.md in this folder."""
