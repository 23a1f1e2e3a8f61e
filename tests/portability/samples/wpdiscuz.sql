-- MySQL dump 10.13  Distrib 8.0.36, for Linux (x86_64)
--
-- Host: localhost    Database: wordpress
-- ------------------------------------------------------
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!50503 SET NAMES utf8mb4 */;
/*!40103 SET @OLD_TIME_ZONE=@@TIME_ZONE */;
/*!40103 SET TIME_ZONE='+00:00' */;
/*!40014 SET @OLD_UNIQUE_CHECKS=@@UNIQUE_CHECKS, UNIQUE_CHECKS=0 */;

--
-- Table structure for table `wp_wc_users_voted`
--

DROP TABLE IF EXISTS `wp_wc_users_voted`;
/*!40101 SET @saved_cs_client     = @@character_set_client */;
CREATE TABLE `wp_wc_users_voted` (
  `id` int NOT NULL AUTO_INCREMENT,
  `user_id` varchar(32) NOT NULL,
  `comment_id` int NOT NULL,
  `vote_type` int DEFAULT NULL,
  `is_guest` tinyint(1) DEFAULT '0',
  `post_id` bigint unsigned NOT NULL DEFAULT '0',
  `date` int unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (`id`),
  KEY `user_id` (`user_id`)
) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_520_ci;

LOCK TABLES `wp_wc_users_voted` WRITE;
/*!40000 ALTER TABLE `wp_wc_users_voted` DISABLE KEYS */;
INSERT INTO `wp_wc_users_voted` VALUES (1,'7',11,1,0,482,1730000400),(2,'9f8e7d6c5b4a39281706f5e4d3c2b1a0',11,1,1,482,1730000000),(3,'5',11,-1,0,482,1729990800),(4,'3',11,0,0,482,1730001000);
/*!40000 ALTER TABLE `wp_wc_users_voted` ENABLE KEYS */;
UNLOCK TABLES;

CREATE TABLE `wp_wc_users_rated` (
  `id` int NOT NULL AUTO_INCREMENT,
  `post_id` int NOT NULL DEFAULT '0',
  `user_id` int NOT NULL DEFAULT '0',
  `user_ip` varchar(32) NOT NULL DEFAULT '',
  `rating` int NOT NULL,
  `date` int unsigned NOT NULL DEFAULT '0',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO `wp_wc_users_rated` VALUES (1,482,7,'',4,1730003600),(2,482,0,'0cc175b9c0f1b6a831c399e269772661',5,1730007200),(3,482,0,'92eb5ffee6ae2fec3ad71c777531578f',3,1730010800);

CREATE TABLE `wp_wc_comments_subscription` (
  `id` int NOT NULL AUTO_INCREMENT,
  `email` varchar(100) NOT NULL,
  `subscribtion_id` int NOT NULL,
  `post_id` int NOT NULL,
  `subscribtion_type` varchar(20) NOT NULL,
  `activation_key` varchar(32) NOT NULL,
  `confirm` tinyint DEFAULT '0',
  `subscription_date` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP,
  `imported_from` varchar(25) NOT NULL DEFAULT '',
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO `wp_wc_comments_subscription` VALUES (1,'reader@example.org',482,482,'post','2f0c8b0c5d8c4f0e8d7a6b5c4d3e2f10',1,'2024-10-27 06:00:00',''),(2,'unsure@example.org',482,482,'all_comment','aa0c8b0c5d8c4f0e8d7a6b5c4d3e2f10',0,'2024-10-27 07:00:00',''),(3,'zoe@example.org',11,482,'comment','bb0c8b0c5d8c4f0e8d7a6b5c4d3e2f10',1,'2024-10-27 08:00:00','subscribe-to-comments-reloaded');

CREATE TABLE `wp_wc_feedback_forms` (
  `id` int NOT NULL AUTO_INCREMENT,
  `post_id` int NOT NULL,
  `unique_id` varchar(15) NOT NULL,
  `question` varchar(255) NOT NULL,
  `opened` tinyint unsigned NOT NULL DEFAULT '0',
  `content` longtext NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO `wp_wc_feedback_forms` VALUES (3,482,'k3j9x0abcd','Is the new timetable clearer?',1,'The night bus now leaves at <em>02:30</em> twice;\nit\'s \"twice\"');

CREATE TABLE `wp_wc_follow_users` (
  `id` int NOT NULL AUTO_INCREMENT,
  `post_id` int NOT NULL DEFAULT '0',
  `user_id` int NOT NULL DEFAULT '0',
  `user_email` varchar(125) NOT NULL DEFAULT '',
  `user_name` varchar(255) NOT NULL DEFAULT '',
  `follower_id` int NOT NULL DEFAULT '0',
  `follower_email` varchar(125) NOT NULL DEFAULT '',
  `follower_name` varchar(255) NOT NULL DEFAULT '',
  `activation_key` varchar(32) NOT NULL DEFAULT '',
  `confirm` tinyint DEFAULT '0',
  `follow_timestamp` int NOT NULL,
  `follow_date` datetime NOT NULL,
  PRIMARY KEY (`id`)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO `wp_wc_follow_users` VALUES (1,482,7,'sam@example.org','Sam',0,'zoe@example.org','Zoë',';DROP TABLE x;--',1,1730000000,'2024-10-27 03:33:20');

CREATE TABLE `wp_wc_phrases` (`id` int NOT NULL AUTO_INCREMENT, `phrase_key` varchar(100) NOT NULL, `phrase_value` text NOT NULL, PRIMARY KEY (`id`));
INSERT INTO `wp_wc_phrases` VALUES (1,'wc_leave_a_reply_text','Leave a reply; or don\'t');
/*!40103 SET TIME_ZONE=@OLD_TIME_ZONE */;
-- Dump completed on 2024-11-03 12:00:00
