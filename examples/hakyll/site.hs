--------------------------------------------------------------------------------
-- The generator of this blog. layercake compiles it with Debian's ghc and
-- Hakyll inside the image build, then runs `site build`, which writes _site/.
--
-- Every date on the site comes from a post's file name (YYYY-MM-DD-slug.ext)
-- or its metadata, never from the clock or from file modification times, so
-- the same sources always give the same pages.
{-# LANGUAGE OverloadedStrings #-}
import           Hakyll


--------------------------------------------------------------------------------
main :: IO ()
main = hakyll $ do
    match "css/*" $ do
        route   idRoute
        compile compressCssCompiler

    -- Markdown and Org-mode posts. An .org post's title and date are in a
    -- sidecar file, posts/<name>.org.metadata: Hakyll reads metadata from a
    -- YAML front matter block or from that file, not from #+TITLE.
    match postPattern $ do
        route $ setExtension "html"
        compile $ pandocCompiler
            >>= loadAndApplyTemplate "templates/post.html"    postCtx
            >>= loadAndApplyTemplate "templates/default.html" postCtx
            >>= relativizeUrls

    create ["archive.html"] $ do
        route idRoute
        compile $ do
            posts <- recentFirst =<< loadAll postPattern
            let archiveCtx =
                    listField "posts" postCtx (return posts) <>
                    constField "title" "Archive"             <>
                    defaultContext

            makeItem ""
                >>= loadAndApplyTemplate "templates/archive.html" archiveCtx
                >>= loadAndApplyTemplate "templates/default.html" archiveCtx
                >>= relativizeUrls

    match "index.html" $ do
        route idRoute
        compile $ do
            posts <- recentFirst =<< loadAll postPattern
            let indexCtx =
                    listField "posts" postCtx (return posts) <>
                    constField "title" "Home"                <>
                    defaultContext

            getResourceBody
                >>= applyAsTemplate indexCtx
                >>= loadAndApplyTemplate "templates/default.html" indexCtx
                >>= relativizeUrls

    match "templates/*" $ compile templateBodyCompiler


--------------------------------------------------------------------------------
postPattern :: Pattern
postPattern = "posts/*.md" .||. "posts/*.org"

postCtx :: Context String
postCtx =
    dateField "date" "%Y-%m-%d" <>
    defaultContext
